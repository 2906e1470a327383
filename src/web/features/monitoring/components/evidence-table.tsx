import { Fragment } from 'react';
import { Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

type Entry = readonly [key: string, value: string];

function text(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isGroup(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested objects one level deeper read as "a.b"; deeper still as JSON. */
function entriesOf(record: Record<string, unknown>): Entry[] {
  return Object.entries(record).flatMap(([key, value]): Entry[] =>
    isGroup(value) ? Object.entries(value).map(([inner, v]): Entry => [`${key}.${inner}`, text(v)]) : [[key, text(value)]],
  );
}

/**
 * What the source reported, as a key/value table: the finding's own facts first, then each group
 * (such as the report row with its original columns) under its own heading.
 */
export function EvidenceTable({ evidence }: { evidence: Record<string, unknown> }) {
  const { t } = useTranslation();
  const plain = Object.entries(evidence).filter(([, value]) => !isGroup(value));
  const groups = Object.entries(evidence).filter((entry): entry is [string, Record<string, unknown>] => isGroup(entry[1]));
  if (plain.length === 0 && groups.length === 0) {
    return (
      <Text size="sm" c="dimmed" mb="md">
        {t('monitoring.finding.evidenceEmpty')}
      </Text>
    );
  }
  const groupTitle = (key: string) => (key === 'row' ? t('monitoring.finding.evidenceGroups.row') : key);
  const row = ([key, value]: Entry) => (
    <Table.Tr key={key} data-testid="evidence-row" data-key={key}>
      <Table.Th scope="row" w={220} fw={500} ff="monospace" fz="xs" style={{ overflowWrap: 'anywhere' }}>
        {key}
      </Table.Th>
      <Table.Td ff="monospace" fz="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {value}
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Paper withBorder mb="md" style={{ overflowX: 'auto' }}>
      <Table verticalSpacing={4} data-testid="evidence">
        <caption className="visually-hidden">{t('monitoring.finding.evidence')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('monitoring.finding.evidenceKey')}</Table.Th>
            <Table.Th scope="col">{t('monitoring.finding.evidenceValue')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{plain.map(([key, value]) => row([key, text(value)]))}</Table.Tbody>
        {groups.map(([key, value]) => (
          <Fragment key={key}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="rowgroup" colSpan={2} bg="var(--mantine-color-gray-0)">
                  {groupTitle(key)}
                </Table.Th>
              </Table.Tr>
              {entriesOf(value).map(row)}
            </Table.Tbody>
          </Fragment>
        ))}
      </Table>
    </Paper>
  );
}
