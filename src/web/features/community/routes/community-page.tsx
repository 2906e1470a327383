import { useState } from 'react';
import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { DateTime } from '../../../components/date-time';
import { RouterAnchor } from '../../../components/router-links';
import { useCurrentUser } from '../../auth/use-current-user';
import { can } from '../../auth/permissions';
import { searchQuery, spacesQuery } from '../api';
import { SpaceFormModal } from '../components/space-form-modal';
import { useCommunityLive } from '../use-community-live';

// A hit's address is /community/threads/<id>[#post-<id>].
const threadIdOf = (url: string) => url.split('#')[0]!.split('/').at(-1) ?? '';

/** The spaces the reader is a member of, with unread counts and last activity, and search across them. */
export function CommunityPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const spaces = useQuery(spacesQuery());
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const hits = useQuery(searchQuery(debounced));
  const [creating, setCreating] = useState(false);
  useCommunityLive();

  return (
    <>
      <PageHeader
        title={t('community.title')}
        description={t('community.description')}
        actions={can(user.role, 'community:moderate') ? <Button onClick={() => setCreating(true)}>{t('community.space.new')}</Button> : null}
      />
      <Stack>
        <TextInput
          leftSection={<IconSearch size={16} aria-hidden />}
          placeholder={t('community.search.placeholder')}
          aria-label={t('community.search.label')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
        />
        {debounced.length >= 2 ? (
          <Stack gap="xs" aria-live="polite">
            <Title order={2} size="h5">
              {t('community.search.results')}
            </Title>
            <ErrorAlert error={hits.error} />
            {hits.data?.items.length === 0 ? <Text c="dimmed">{t('community.search.none')}</Text> : null}
            {(hits.data?.items ?? []).map((h) => (
              <Card key={`${h.kind}-${h.id}`} withBorder padding="sm">
                <RouterAnchor to="/community/threads/$threadId" params={{ threadId: threadIdOf(h.url) }} hash={h.url.split('#')[1] ?? ''}>
                  {h.title}
                </RouterAnchor>
                <Text size="sm" c="dimmed">
                  {h.snippet}
                </Text>
              </Card>
            ))}
          </Stack>
        ) : null}
        <ErrorAlert error={spaces.error} />
        {spaces.isPending ? <LoadingIndicator /> : null}
        {spaces.data?.items.length === 0 ? <Text c="dimmed">{t('community.space.none')}</Text> : null}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {(spaces.data?.items ?? []).map((s) => (
            <Card key={s.id} withBorder padding="md">
              <Stack gap={6}>
                <Group justify="space-between">
                  <RouterAnchor to="/community/$spaceId" params={{ spaceId: s.id }} fw={600}>
                    {s.name}
                  </RouterAnchor>
                  {s.unreadCount > 0 ? <Badge color="blue">{t('community.space.unread', { count: s.unreadCount })}</Badge> : null}
                </Group>
                <Text size="sm" c="dimmed" lineClamp={2}>
                  {s.description}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('community.space.threads', { count: s.threadCount })} · {t('community.space.lastActivity')}: <DateTime value={s.lastActivityAt} />
                </Text>
                {s.archived ? <Badge color="gray">{t('community.space.archived')}</Badge> : null}
              </Stack>
            </Card>
          ))}
        </SimpleGrid>
      </Stack>
      {creating ? <SpaceFormModal onClose={() => setCreating(false)} /> : null}
    </>
  );
}
