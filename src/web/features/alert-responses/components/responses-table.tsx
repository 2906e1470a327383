import { useState } from 'react';
import { Box, Group, NativeSelect, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { optionalEnum } from '../../../lib/search-params';
import type { OrganisationResponse } from '../api';
import { ROW_FILTERS, visibleRows, type RowFilter, type Sort, type SortKey } from '../organisation-rows';
import { useDuration } from '../use-duration';
import { ResponseBadge } from './response-badge';

function SortHeader({ label, sortKey, sort, onSort }: { label: string; sortKey: SortKey; sort: Sort; onSort: (key: SortKey) => void }) {
  const active = sort.key === sortKey;
  const Icon = active ? (sort.descending ? IconArrowDown : IconArrowUp) : IconArrowsSort;
  return (
    <Table.Th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(sortKey)} fw={700} fz="sm">
        <Group gap={4} wrap="nowrap">
          {label}
          <Icon size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** Every organisation with its latest answer; filterable by answer and name, sortable by column. */
export function ResponsesTable({ rows }: { rows: OrganisationResponse[] }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const [filter, setFilter] = useState<RowFilter>('all');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'status', descending: false });
  const shown = visibleRows(rows, filter, query, sort);
  const onSort = (key: SortKey) => setSort((current) => ({ key, descending: current.key === key ? !current.descending : false }));

  return (
    <Box>
      <Group gap="sm" mb="xs" align="flex-end" wrap="wrap">
        <NativeSelect
          label={t('alertResponses.table.show')}
          name="filter"
          value={filter}
          onChange={(event) => setFilter(optionalEnum(event.currentTarget.value, ROW_FILTERS) ?? 'all')}
          data={ROW_FILTERS.map((value) => ({ value, label: t(`alertResponses.filter.${value}`) }))}
        />
        <TextInput
          label={t('alertResponses.table.search')}
          name="q"
          leftSection={<IconSearch size={14} aria-hidden />}
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
        />
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('common.shown', { count: shown.length })}
        </Text>
      </Group>
      <Box style={{ overflowX: 'auto' }}>
        <Table striped data-testid="responses-table">
          <caption className="visually-hidden">{t('alertResponses.table.caption')}</caption>
          <Table.Thead>
            <Table.Tr>
              <SortHeader label={t('alertResponses.table.organisation')} sortKey="organisation" sort={sort} onSort={onSort} />
              <SortHeader label={t('alertResponses.table.answer')} sortKey="status" sort={sort} onSort={onSort} />
              <Table.Th scope="col">{t('alertResponses.table.comment')}</Table.Th>
              <SortHeader label={t('alertResponses.table.answeredAt')} sortKey="respondedAt" sort={sort} onSort={onSort} />
              <SortHeader label={t('alertResponses.table.firstResponse')} sortKey="firstResponse" sort={sort} onSort={onSort} />
              <Table.Th scope="col">{t('alertResponses.table.answers')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((row) => (
              <Table.Tr key={row.organisationId} data-testid="response-row" data-status={row.status ?? 'none'}>
                <Table.Td>
                  <Text size="sm" fw={row.status === null ? 700 : undefined}>
                    {row.organisationName}
                  </Text>
                  {row.recipient ? null : (
                    <Text size="xs" c="dimmed">
                      {t('alertResponses.table.notMailed')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <ResponseBadge status={row.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {row.comment ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <DateTime value={row.respondedAt} />
                </Table.Td>
                <Table.Td>{duration(row.secondsToFirstResponse)}</Table.Td>
                <Table.Td>{row.responses}</Table.Td>
              </Table.Tr>
            ))}
            {shown.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text size="sm" c="dimmed" py="xs">
                    {t('common.noResults')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Box>
    </Box>
  );
}
