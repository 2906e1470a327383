import { Alert, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { isApiError } from '../../../lib/api-client';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { digestQuery } from '../api';
import { DigestBody } from '../components/digest-body';
import { DigestEditor } from '../components/digest-editor';
import { DigestStatusBadge } from '../components/digest-badges';
import { PreviewPanel } from '../components/preview-panel';

const routeApi = getRouteApi('/_app/digests/$id');

/** One digest: the reader's version; for the CERT also the editor and the preview per recipient. */
export function DigestPage() {
  const { t, i18n } = useTranslation();
  const { id } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const user = useCurrentUser();
  const isCert = can(user.role, 'digests:write');
  const query = useQuery(digestQuery(id));
  if (query.error && isApiError(query.error) && query.error.status === 404) return <Alert color="gray">{t('digests.notFound')}</Alert>;
  if (!query.data) return query.error ? <ErrorAlert error={query.error} /> : <Text c="dimmed">{t('common.loading')}</Text>;
  const d = query.data;
  const english = i18n.language.startsWith('en');
  return (
    <>
      <PageHeader
        title={english ? d.titleEn : d.title}
        description={
          <Group gap="xs" component="span">
            <span>{t(`digests.kinds.${d.kind}`)}</span>
            {isCert ? <DigestStatusBadge status={d.status} /> : null}
            {d.sentAt ? (
              <span>
                {t('digests.sentAt')} <DateTime value={d.sentAt} />
              </span>
            ) : null}
          </Group>
        }
      />
      <Stack gap="md">
        {isCert && d.editor ? <DigestEditor digest={d} /> : null}
        {isCert ? (
          <PreviewPanel digest={d} contactId={search.preview} onContact={(preview) => void navigate({ search: preview ? { preview } : {}, replace: true })} />
        ) : null}
        <DigestBody digest={d} />
      </Stack>
    </>
  );
}
