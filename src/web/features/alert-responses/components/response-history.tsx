import { Box, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import type { ResponseHistoryEntry } from '../api';
import { ResponseBadge } from './response-badge';

/** Every answer as it came in, newest first: an organisation may move from "received" to "patched". */
export function ResponseHistory({ history }: { history: ResponseHistoryEntry[] }) {
  const { t } = useTranslation();
  const newestFirst = [...history].sort((a, b) => b.respondedAt.localeCompare(a.respondedAt));
  if (newestFirst.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('alertResponses.history.empty')}
      </Text>
    );
  }
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table striped data-testid="response-history">
        <caption className="visually-hidden">{t('alertResponses.history.title')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('alertResponses.table.answeredAt')}</Table.Th>
            <Table.Th scope="col">{t('alertResponses.table.organisation')}</Table.Th>
            <Table.Th scope="col">{t('alertResponses.table.answer')}</Table.Th>
            <Table.Th scope="col">{t('alertResponses.table.comment')}</Table.Th>
            <Table.Th scope="col">{t('alertResponses.history.via')}</Table.Th>
            <Table.Th scope="col">{t('alertResponses.history.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {newestFirst.map((entry, index) => (
            <Table.Tr key={`${entry.respondedAt}-${index}`}>
              <Table.Td>
                <DateTime value={entry.respondedAt} />
              </Table.Td>
              <Table.Td>{entry.organisationName}</Table.Td>
              <Table.Td>
                <ResponseBadge status={entry.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {entry.comment ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>{t(`alertResponses.via.${entry.via}`)}</Table.Td>
              <Table.Td>{entry.by ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
