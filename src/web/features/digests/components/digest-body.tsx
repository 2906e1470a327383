import { Anchor, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RouterAnchor } from '../../../components/router-links';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import type { DigestDetail, DigestEntry } from '../api';
import { BarChart } from './bar-chart';

/** What an entry is, in words: the product's kind and identifier, or a media item or link. */
export function useEntryLabel() {
  const { t } = useTranslation();
  return (e: DigestEntry) =>
    e.kind === 'product'
      ? `${t(`digests.productKind.${e.productKind ?? 'advisory'}`)}${e.identifier ? ` ${e.identifier}` : ''}${e.updated ? ` (${t('digests.updated')})` : ''}`
      : t(`digests.entryKind.${e.kind}`);
}

function EntryTitle({ entry, english }: { entry: DigestEntry; english: boolean }) {
  const title = english && entry.titleEn ? entry.titleEn : entry.title;
  if (entry.kind === 'product' && entry.identifier)
    return (
      <RouterAnchor to="/advisories/$id" params={{ id: entry.identifier }} fw={600}>
        {title}
      </RouterAnchor>
    );
  if (entry.url)
    return (
      <Anchor href={entry.url} target="_blank" rel="noopener noreferrer" fw={600}>
        {title}
      </Anchor>
    );
  return <Text fw={600}>{title}</Text>;
}

/** A digest as its reader sees it: the introduction, the entries of their version, the month's charts and commentary. */
export function DigestBody({ digest }: { digest: DigestDetail }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language.startsWith('en');
  const label = useEntryLabel();
  const charts = english ? digest.charts.en : digest.charts.nl;
  return (
    <Stack gap="md">
      {digest.introductionHtml ? (
        // Sanitised by the server (lib/markdown.ts): the same HTML the mail carries.
        <Paper
          withBorder
          p="md"
          radius="md"
          className="advisory-html"
          data-testid="digest-introduction"
          dangerouslySetInnerHTML={{ __html: digest.introductionHtml }}
        />
      ) : null}
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="digest-entries">
        <Title order={2} size="h4" id="digest-entries" mb="sm">
          {digest.kind === 'week' ? t('digests.thisWeek') : t('digests.thisMonth')}
        </Title>
        {digest.entries.length === 0 ? (
          <Text c="dimmed">{t('digests.noEntries')}</Text>
        ) : (
          <List type="ordered" spacing="sm" data-testid="digest-entries">
            {digest.entries.map((e) => (
              <List.Item key={e.id} data-entry={e.id}>
                <Group gap={6} wrap="wrap">
                  <TlpBadge tlp={e.tlp} size="xs" />
                  <Text size="xs" c="dimmed">
                    {label(e)}
                  </Text>
                </Group>
                <EntryTitle entry={e} english={english} />
                {e.summary ? <Text size="sm">{e.summary}</Text> : null}
                {e.sourceName ? (
                  <Text size="xs" c="dimmed">
                    {t('digests.source')}: {e.sourceName}
                  </Text>
                ) : null}
              </List.Item>
            ))}
          </List>
        )}
      </Paper>
      {charts.length > 0 ? (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="digest-figures">
          <Title order={2} size="h4" id="digest-figures" mb="sm">
            {t('digests.figures')}
          </Title>
          {charts.map((c, i) => (
            <BarChart key={c.title} chart={c} id={`digest-chart-${i}`} />
          ))}
        </Paper>
      ) : null}
      {digest.kind === 'month' && digest.commentaryHtml ? (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="digest-commentary">
          <Title order={2} size="h4" id="digest-commentary" mb="sm">
            {t('digests.commentary')}
          </Title>
          <div className="advisory-html" data-testid="digest-commentary" dangerouslySetInnerHTML={{ __html: digest.commentaryHtml }} />
        </Paper>
      ) : null}
    </Stack>
  );
}
