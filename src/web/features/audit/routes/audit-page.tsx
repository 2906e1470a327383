import { useMemo, useState } from 'react';
import { Alert, Anchor, Button, Group, Text } from '@mantine/core';
import { IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { auditExportUrl, auditQuery, verifyChain, type AuditEntry } from '../api';
import { AuditEntryModal, OutcomeBadge } from '../components/audit-entry-modal';
import { AuditFiltersForm } from '../components/audit-filters';

const routeApi = getRouteApi('/_app/audit');
const col = columnHelper<AuditEntry>();

export function AuditPage() {
  const { t } = useTranslation();
  const filters = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const query = useInfiniteQuery(auditQuery(filters));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const verify = useMutation({ mutationFn: verifyChain });

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('seq', {
          header: () => t('audit.fields.seq'),
          cell: (info) => (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => setSelected(info.row.original)}
              aria-label={t('audit.showDetails', { seq: info.getValue() })}
            >
              {info.getValue()}
            </Anchor>
          ),
        }),
        col.accessor('at', {
          header: () => t('audit.fields.at'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.accessor('actorEmail', {
          header: () => t('audit.fields.actor'),
          cell: (info) => info.getValue() ?? info.row.original.actorUserId ?? '—',
        }),
        col.accessor('action', {
          header: () => t('audit.fields.action'),
          cell: (info) => <code>{info.getValue()}</code>,
        }),
        col.display({
          id: 'target',
          header: () => t('audit.fields.target'),
          cell: (info) => {
            const entry = info.row.original;
            if (!entry.targetType && !entry.targetId) return '—';
            return (
              <Text size="xs">
                {entry.targetType} <code>{entry.targetId}</code>
              </Text>
            );
          },
        }),
        col.accessor('outcome', {
          header: () => t('audit.fields.outcome'),
          cell: (info) => <OutcomeBadge outcome={info.getValue()} />,
        }),
        col.accessor('ip', {
          header: () => t('audit.fields.ip'),
          cell: (info) => info.getValue() ?? '—',
        }),
      ]),
    [t],
  );

  const result = verify.data;

  return (
    <>
      <PageHeader
        title={t('nav.audit')}
        description={t('audit.intro')}
        actions={
          <>
            <Button
              component="a"
              href={auditExportUrl('csv', filters)}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
              data-testid="export-csv"
            >
              {t('audit.exportCsv')}
            </Button>
            <Button
              component="a"
              href={auditExportUrl('json', filters)}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
              data-testid="export-json"
            >
              {t('audit.exportJson')}
            </Button>
            <Button
              leftSection={<IconShieldCheck size={16} aria-hidden />}
              onClick={() => verify.mutate()}
              loading={verify.isPending}
              data-testid="verify-chain"
            >
              {t('audit.verify')}
            </Button>
          </>
        }
      />
      <ErrorAlert error={verify.error} />
      {result ? (
        <Alert
          mb="sm"
          role="status"
          color={result.ok ? 'green' : 'red'}
          variant="light"
          title={result.ok ? t('audit.verifyTitleOk') : t('audit.verifyTitleBad')}
          data-testid="verify-result"
          data-ok={result.ok}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => verify.reset()}
        >
          {result.ok
            ? t('audit.verifyOk', { count: result.checked })
            : t('audit.verifyBad', { seq: result.firstBadSeq ?? '?', problem: result.problem ?? '' })}
        </Alert>
      ) : null}
      <AuditFiltersForm value={filters} onChange={(next) => void navigate({ search: next })} />
      <ErrorAlert error={query.error} />
      <DataTable
        data={rows}
        columns={columns}
        caption={t('nav.audit')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        testId="audit-table"
      />
      <Group justify="center">
        <LoadMoreButton
          hasMore={query.hasNextPage}
          loading={query.isFetchingNextPage}
          onLoadMore={() => void query.fetchNextPage()}
        />
      </Group>
      {selected ? <AuditEntryModal entry={selected} onClose={() => setSelected(null)} /> : null}
    </>
  );
}
