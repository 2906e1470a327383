import { useState, type FormEvent } from 'react';
import { Box, Button, Group, List, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconGitCompare } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { diffQuery, revisionsQuery, type RevisionDiff, type RevisionSummary } from '../api';
import { TlpBadge } from './advisory-badges';

interface RevisionHistoryProps {
  /** The product's uuid (revision and diff routes take the uuid). */
  productId: string;
  /** The id or identifier in the page's URL, for links that stay on this page. */
  routeId: string;
  shownRevision: number | null;
}

function DiffText({ parts }: { parts: RevisionDiff['fields'][number]['parts'] }) {
  return (
    <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {parts.map((part, index) => {
        if (part.op === 'insert') {
          return (
            <ins key={index} className="diff-insert">
              {part.text}
            </ins>
          );
        }
        if (part.op === 'delete') {
          return (
            <del key={index} className="diff-delete">
              {part.text}
            </del>
          );
        }
        return <span key={index}>{part.text}</span>;
      })}
    </Text>
  );
}

function AddedRemoved({ title, added, removed }: { title: string; added: string[]; removed: string[] }) {
  const { t } = useTranslation();
  if (added.length === 0 && removed.length === 0) return null;
  return (
    <Paper withBorder p="xs">
      <Text size="sm" fw={600} mb={2}>
        {title}
      </Text>
      <List size="sm">
        {added.map((item) => (
          <List.Item key={`added-${item}`}>
            <ins className="diff-insert">{item}</ins> ({t('advisories.history.added')})
          </List.Item>
        ))}
        {removed.map((item) => (
          <List.Item key={`removed-${item}`}>
            <del className="diff-delete">{item}</del> ({t('advisories.history.removed')})
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}

function DiffView({ productId, from, to }: { productId: string; from: number; to: number }) {
  const { t } = useTranslation();
  const query = useQuery(diffQuery(productId, from, to));
  if (query.isPending) return <Text size="sm">{t('common.loading')}</Text>;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const diff = query.data;
  const changed = diff.fields.filter((field) => field.changed);
  return (
    <Stack gap="xs" data-testid="revision-diff">
      <Text size="sm" c="dimmed">
        {diff.changed ? t('advisories.history.diffSummary', { from, to, count: changed.length }) : t('advisories.history.noChanges', { from, to })}
      </Text>
      {changed.map((field) => (
        <Paper withBorder p="xs" key={`${field.lang}-${field.field}`} data-testid="diff-field">
          <Text size="xs" c="dimmed" mb={2}>
            {t(`advisories.history.field.${field.field}`)} ({field.lang === 'nl' ? 'Nederlands' : 'English'})
          </Text>
          <DiffText parts={field.parts} />
        </Paper>
      ))}
      <AddedRemoved title={t('advisories.fields.cves')} added={diff.cves.added} removed={diff.cves.removed} />
      <AddedRemoved
        title={t('advisories.sections.products')}
        added={diff.products.added.map((change) => change.label)}
        removed={diff.products.removed.map((change) => change.label)}
      />
    </Stack>
  );
}

function CompareForm({ productId, revisions }: { productId: string; revisions: RevisionSummary[] }) {
  const { t } = useTranslation();
  const numbers = revisions.map((revision) => revision.revision).sort((a, b) => a - b);
  const latest = numbers[numbers.length - 1] ?? 1;
  const previous = numbers[numbers.length - 2] ?? latest;
  const [from, setFrom] = useState(previous);
  const [to, setTo] = useState(latest);
  const [compared, setCompared] = useState<{ from: number; to: number } | null>(null);
  const options = numbers.map((n) => ({ value: String(n), label: t('advisories.history.revisionN', { n }) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCompared({ from, to });
  };

  return (
    <Box mt="sm">
      <form onSubmit={submit} aria-label={t('advisories.history.compare')}>
        <Group gap="sm" align="flex-end">
          <NativeSelect
            label={t('advisories.history.from')}
            name="from"
            value={String(from)}
            onChange={(event) => setFrom(Number(event.currentTarget.value))}
            data={options}
          />
          <NativeSelect
            label={t('advisories.history.to')}
            name="to"
            value={String(to)}
            onChange={(event) => setTo(Number(event.currentTarget.value))}
            data={options}
          />
          <Button type="submit" variant="default" leftSection={<IconGitCompare size={16} aria-hidden />} disabled={from === to}>
            {t('advisories.history.compare')}
          </Button>
        </Group>
      </form>
      {compared ? (
        <Box mt="sm">
          <DiffView productId={productId} from={compared.from} to={compared.to} />
        </Box>
      ) : null}
    </Box>
  );
}

/** Every published revision, a link to show each one, and the differences between two of them. */
export function RevisionHistory({ productId, routeId, shownRevision }: RevisionHistoryProps) {
  const { t } = useTranslation();
  const query = useQuery(revisionsQuery(productId));
  const revisions = query.data ?? [];

  return (
    <Box component="section" aria-labelledby="revision-history-title" mb="lg" data-testid="revision-history">
      <Title order={2} size="h4" mb="xs" id="revision-history-title">
        {t('advisories.history.title')}
      </Title>
      <ErrorAlert error={query.error} />
      {query.isPending ? <Text size="sm">{t('common.loading')}</Text> : null}
      {revisions.length > 0 ? (
        <Box style={{ overflowX: 'auto' }}>
          <Table striped>
            <caption className="visually-hidden">{t('advisories.history.title')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('advisories.history.revision')}</Table.Th>
                <Table.Th scope="col">{t('advisories.fields.publishedAt')}</Table.Th>
                <Table.Th scope="col">{t('advisories.history.publishedBy')}</Table.Th>
                <Table.Th scope="col">{t('advisories.fields.tlp')}</Table.Th>
                <Table.Th scope="col">{t('advisories.workflow.changeSummary')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {revisions.map((revision) => (
                <Table.Tr key={revision.revision}>
                  <Table.Td>
                    {revision.revision === shownRevision ? (
                      <Text size="sm" fw={700} span aria-current="true">
                        {t('advisories.history.revisionN', { n: revision.revision })}
                      </Text>
                    ) : (
                      <RouterAnchor to="/advisories/$id" params={{ id: routeId }} search={{ rev: revision.revision }} size="sm">
                        {t('advisories.history.revisionN', { n: revision.revision })}
                      </RouterAnchor>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={revision.publishedAt} />
                  </Table.Td>
                  <Table.Td>{revision.publishedBy ?? '—'}</Table.Td>
                  <Table.Td>
                    <TlpBadge tlp={revision.tlp} />
                  </Table.Td>
                  <Table.Td>{revision.changeSummary}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Box>
      ) : null}
      {revisions.length > 1 ? <CompareForm productId={productId} revisions={revisions} /> : null}
    </Box>
  );
}
