import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { advisoryQuery } from '../api';
import { AdvisoryEditor } from '../editor/advisory-editor';
import { emptyState, fromContent } from '../editor/editor-model';

const editRoute = getRouteApi('/_app/advisories/$id/edit');

export function NewAdvisoryPage() {
  const [initial] = useState(emptyState);
  return <AdvisoryEditor product={null} initial={initial} initialVersion={null} />;
}

export function EditAdvisoryPage() {
  const { t } = useTranslation();
  const { id } = editRoute.useParams();
  const query = useQuery(advisoryQuery(id));

  if (query.isPending) return <LoadingIndicator />;
  const draft = query.data?.draft;
  if (query.isError || !draft) {
    return (
      <>
        <PageHeader title={t('nav.advisories')} />
        <ErrorAlert error={query.error ?? new Error(t('advisories.editor.noDraft'))} />
      </>
    );
  }
  const product = query.data;
  return (
    // Keyed on the product: the form takes its initial state once and then owns it, so a
    // background refetch never replaces what the editor is typing.
    <AdvisoryEditor
      key={product.id}
      product={product}
      initial={fromContent(product.kind, draft.tlp, draft.recipients, draft.content)}
      initialVersion={draft.version}
    />
  );
}
