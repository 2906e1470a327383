import { useState } from 'react';
import { Alert, Button, SegmentedControl, Text } from '@mantine/core';
import { IconDownload, IconMessageReply, IconPencil, IconTargetArrow, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor, RouterButton } from '../../../components/router-links';
import { RespondPanel } from '../../alert-responses/components/respond-panel';
import { isCertRole, type CurrentUser } from '../../auth/api';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { DeliveryPanel } from '../../distribution/components/delivery-panel';
import { advisoryQuery, csafUrl, pdfUrl, previewQuery, revisionQuery, type AdvisoryContent, type Product, type RenderedHtml, type Tlp } from '../api';
import { TlpBanner } from '../components/advisory-badges';
import { AdvisoryView, type ContentLanguage } from '../components/advisory-view';
import { RevisionHistory } from '../components/revision-history';
import { WorkflowPanel } from '../components/workflow-panel';

const routeApi = getRouteApi('/_app/advisories/$id');

type View = 'published' | 'draft';

interface Shown {
  content: AdvisoryContent;
  html: RenderedHtml | null;
  htmlPending: boolean;
  tlp: Tlp;
}

function LanguageToggle({ value, onChange }: { value: ContentLanguage; onChange: (lang: ContentLanguage) => void }) {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      value={value}
      onChange={(next) => onChange(next === 'en' ? 'en' : 'nl')}
      data={[
        { value: 'nl', label: 'Nederlands' },
        { value: 'en', label: 'English' },
      ]}
      aria-label={t('advisories.contentLanguage')}
      data-testid="content-language"
    />
  );
}

/** The draft has no stored HTML: the server's preview renders it (editors only). */
function useDraftShown(product: Product, enabled: boolean): Shown | null {
  const draft = product.draft;
  const preview = useQuery({
    ...previewQuery({ kind: product.kind, tlp: draft?.tlp ?? 'AMBER', content: draft?.content ?? { nl: { title: '' } } }),
    enabled: enabled && draft !== null,
  });
  if (!draft) return null;
  return { content: draft.content, tlp: draft.tlp, html: preview.data?.html ?? null, htmlPending: preview.isPending };
}

function ProductDetail({ product, routeId, rev, user }: { product: Product; routeId: string; rev: number | undefined; user: CurrentUser }) {
  const { t, i18n } = useTranslation();
  const isEditor = can(user.role, 'advisories:write');
  const canSeeDistribution = can(user.role, 'distribution:read');
  const published = product.published;
  const liveAlert = product.kind === 'alert' && published !== null && product.withdrawn === null;
  // The published text is shown unless the editor chose the draft; before publication there is only the draft.
  const [chosenView, setView] = useState<View | null>(null);
  const view: View = published ? (chosenView ?? 'published') : 'draft';
  const olderRevision = published && rev !== undefined && rev !== published.revision ? rev : null;
  const older = useQuery({ ...revisionQuery(product.id, olderRevision ?? 0), enabled: olderRevision !== null });
  const draftShown = useDraftShown(product, isEditor && view === 'draft');

  const publishedShown: Shown | null =
    olderRevision !== null
      ? older.data
        ? { content: older.data.content, html: older.data.html, htmlPending: false, tlp: older.data.tlp }
        : null
      : published
        ? { content: published.content, html: published.html, htmlPending: false, tlp: published.tlp }
        : null;
  const shown = view === 'draft' ? draftShown : publishedShown;
  const hasEnglish = Boolean(shown?.content.en);
  const [chosenLang, setLang] = useState<ContentLanguage | null>(null);
  const lang: ContentLanguage = hasEnglish ? (chosenLang ?? (i18n.language.startsWith('en') ? 'en' : 'nl')) : 'nl';
  const text = shown ? ((lang === 'en' ? shown.content.en : null) ?? shown.content.nl) : null;
  const shownRevision = olderRevision ?? published?.revision ?? null;

  const subtitle = [
    product.identifier ?? t('advisories.noIdentifier'),
    t(`advisories.kind.${product.kind}`),
    view === 'published' && shownRevision !== null ? t('advisories.history.revisionN', { n: shownRevision }) : null,
    view === 'draft' && product.draft ? t('advisories.workflow.version', { version: product.draft.version }) : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <>
      <PageHeader
        title={text?.title ?? product.identifier ?? t('nav.advisories')}
        description={
          <span data-testid="advisory-subtitle">
            {subtitle}
            {view === 'published' && published ? (
              <>
                {' · '}
                <DateTime value={older.data?.publishedAt ?? published.publishedAt} />
              </>
            ) : null}
          </span>
        }
        actions={
          <>
            {hasEnglish ? <LanguageToggle value={lang} onChange={setLang} /> : null}
            {published ? (
              <Button
                component="a"
                href={csafUrl(product.id, olderRevision ?? undefined)}
                download
                variant="default"
                leftSection={<IconDownload size={16} aria-hidden />}
                data-testid="download-csaf"
              >
                {t('advisories.downloadCsaf')}
              </Button>
            ) : null}
            <Button
              component="a"
              href={pdfUrl(product.id)}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
              data-testid="download-pdf"
            >
              {t('advisories.downloadPdf')}
            </Button>
            {product.kind === 'alert' && published && canSeeDistribution ? (
              <RouterButton
                to="/advisories/$id/responses"
                params={{ id: product.id }}
                variant="default"
                leftSection={<IconMessageReply size={16} aria-hidden />}
                data-testid="alert-responses-link"
              >
                {t('alertResponses.open')}
              </RouterButton>
            ) : null}
            {isEditor && product.draft ? (
              <RouterButton to="/advisories/$id/edit" params={{ id: product.id }} leftSection={<IconPencil size={16} aria-hidden />} data-testid="edit-draft">
                {t('advisories.editDraft')}
              </RouterButton>
            ) : null}
          </>
        }
      />
      {shown ? <TlpBanner tlp={shown.tlp} /> : null}
      {product.withdrawn ? (
        <Alert
          color="red"
          variant="light"
          mb="md"
          role="status"
          icon={<IconTrash size={18} aria-hidden />}
          title={t('advisories.withdrawnTitle')}
          data-testid="withdrawn-banner"
        >
          <DateTime value={product.withdrawn.at} />
          {product.withdrawn.reason ? `: ${product.withdrawn.reason}` : null}
        </Alert>
      ) : null}
      {product.relevant ? (
        <Alert color="orange" variant="light" mb="md" icon={<IconTargetArrow size={18} aria-hidden />} data-testid="relevant-banner">
          {t('advisories.relevantExplained')}
        </Alert>
      ) : null}
      {olderRevision !== null && published ? (
        <Alert color="blue" variant="light" mb="md" role="status">
          {t('advisories.history.viewingOlder', { n: olderRevision, current: published.revision })}{' '}
          <RouterAnchor to="/advisories/$id" params={{ id: routeId }} search={{}} size="sm">
            {t('advisories.history.showCurrent')}
          </RouterAnchor>
        </Alert>
      ) : null}
      <ErrorAlert error={older.error} />
      {/* The CERT follows the answers on its dashboard; participants answer for their organisation here. */}
      {liveAlert && !isCertRole(user.role) ? <RespondPanel productId={product.id} canRespond={can(user.role, 'alerts:respond')} /> : null}

      {isEditor && product.draft ? <WorkflowPanel product={product} draft={product.draft} user={user} /> : null}

      {isEditor && published && product.draft ? (
        <SegmentedControl
          mb="md"
          value={view}
          onChange={(next) => setView(next === 'draft' ? 'draft' : 'published')}
          data={[
            { value: 'published', label: t('advisories.views.published', { n: shownRevision ?? published.revision }) },
            { value: 'draft', label: t('advisories.views.draft', { version: product.draft.version }) },
          ]}
          aria-label={t('advisories.views.label')}
          data-testid="view-switch"
        />
      ) : null}

      {shown ? (
        <AdvisoryView
          content={shown.content}
          html={shown.html ? ((lang === 'en' ? shown.html.en : null) ?? shown.html.nl) : null}
          htmlPending={shown.htmlPending}
          lang={lang}
        />
      ) : view === 'published' && olderRevision !== null && !older.isError ? (
        <LoadingIndicator />
      ) : (
        <Text c="dimmed">{t('advisories.nothingPublished')}</Text>
      )}

      {published && canSeeDistribution ? <DeliveryPanel productId={product.id} canRetry={can(user.role, 'advisories:approve')} /> : null}

      {published ? <RevisionHistory productId={product.id} routeId={routeId} shownRevision={view === 'published' ? shownRevision : null} /> : null}
    </>
  );
}

export function AdvisoryDetailPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const { rev } = routeApi.useSearch();
  const user = useCurrentUser();
  const query = useQuery(advisoryQuery(id));

  if (query.isPending) return <LoadingIndicator />;
  if (query.isError) {
    return (
      <>
        <PageHeader title={t('nav.advisories')} />
        <ErrorAlert error={query.error} />
      </>
    );
  }
  return <ProductDetail key={query.data.id} product={query.data} routeId={id} rev={rev} user={user} />;
}
