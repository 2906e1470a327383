import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { RouterAnchor } from '../../../components/router-links';
import type { Publication } from '../api';
import { PublicationBadges } from './publication-badges';

interface PublicationCardsProps {
  rows: readonly Publication[];
  showStatus: boolean;
  emptyText: string;
  onTag: (tag: string) => void;
}

/** The library as cards: title, marking, summary, topics (a topic filters the list). */
export function PublicationCards({ rows, showStatus, emptyText, onTag }: PublicationCardsProps) {
  const { t } = useTranslation();
  if (rows.length === 0) return <Text c="dimmed">{emptyText}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" data-testid="publication-cards">
      {rows.map((p) => (
        <Card key={p.id} withBorder radius="md" padding="md" component="article" aria-labelledby={`pub-${p.id}`}>
          <Stack gap="xs">
            <PublicationBadges publication={p} showStatus={showStatus} />
            <RouterAnchor to="/publications/$id" params={{ id: p.id }} fw={600} id={`pub-${p.id}`} lang={p.language}>
              {p.title}
            </RouterAnchor>
            {p.summary ? (
              <Text size="sm" lineClamp={4} lang={p.language}>
                {p.summary}
              </Text>
            ) : null}
            <Group gap={4}>
              {p.tags.map((tag) => (
                <Badge key={tag} size="xs" variant="dot" component="button" type="button" style={{ cursor: 'pointer' }} onClick={() => onTag(tag)}>
                  {tag}
                </Badge>
              ))}
            </Group>
            <Text size="xs" c="dimmed">
              {p.publishedAt ? (
                <>
                  {t('publications.published')} <DateTime value={p.publishedAt} dateOnly />
                </>
              ) : (
                t('publications.detail.notPublishedYet')
              )}
              {p.currentVersion ? ` · ${t('publications.version', { version: p.currentVersion })}` : ''}
            </Text>
            {p.currentVersion ? (
              <Anchor href={`/api/v1/publications/${encodeURIComponent(p.id)}/download`} size="sm">
                {t('publications.download')}
              </Anchor>
            ) : null}
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}
