import { useState } from 'react';
import { Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconCheck, IconLock, IconPin } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { DateTime } from '../../../components/date-time';
import { RouterAnchor } from '../../../components/router-links';
import { PREFERENCE_MODES, spaceQuery, threadsQuery, type PreferenceMode } from '../api';
import { uploadAttachment, useCreateThread, useSetPreference } from '../mutations';
import { PostComposer, type Composed } from '../components/post-composer';
import { SpaceFormModal } from '../components/space-form-modal';
import { TlpBadge } from '../components/tlp-badge';
import { useCommunityLive } from '../use-community-live';

const routeApi = getRouteApi('/_app/community/$spaceId');

/** A space's threads (pinned first, answered marked), a new thread, and how the reader hears of it. */
export function CommunitySpacePage() {
  const { t } = useTranslation();
  const { spaceId } = routeApi.useParams();
  const navigate = useNavigate();
  const space = useQuery(spaceQuery(spaceId));
  const threads = useQuery(threadsQuery(spaceId));
  const preference = useSetPreference(spaceId);
  const create = useCreateThread(spaceId);
  const [composing, setComposing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [uploadError, setUploadError] = useState<unknown>(null);
  useCommunityLive();

  if (space.error) return <ErrorAlert error={space.error} />;
  if (!space.data) return <LoadingIndicator />;
  const s = space.data;

  const submit = async (v: Composed) => {
    const thread = await create.mutateAsync({ title: v.title, body: v.body, tlp: v.tlp, recipients: v.recipients }).catch(() => null);
    if (!thread) return false;
    const opening = thread.posts[0];
    try {
      for (const file of v.files) if (opening) await uploadAttachment(opening.id, file);
    } catch (err) {
      setUploadError(err);
    }
    await navigate({ to: '/community/threads/$threadId', params: { threadId: thread.id } });
    return true;
  };

  return (
    <>
      <PageHeader
        title={s.name}
        description={s.description}
        actions={
          <>
            {s.canModerate ? (
              <Button variant="default" onClick={() => setEditing(true)}>
                {t('community.space.edit')}
              </Button>
            ) : null}
            <Button onClick={() => setComposing((c) => !c)}>{t('community.thread.new')}</Button>
          </>
        }
      />
      <Stack>
        <Group gap="xs">
          <Text size="sm">{t('community.preference.label')}</Text>
          <SegmentedControl
            size="xs"
            value={s.preference}
            onChange={(v) => preference.mutate(v as PreferenceMode)}
            data={PREFERENCE_MODES.map((m) => ({ value: m, label: t(`community.preference.${m}`) }))}
          />
        </Group>
        <ErrorAlert error={preference.error ?? uploadError} />
        {composing ? (
          <Paper withBorder p="md">
            <PostComposer
              spaceId={spaceId}
              withTitle
              submitLabel={t('community.thread.post')}
              pending={create.isPending}
              error={create.error}
              onSubmit={submit}
              onCancel={() => setComposing(false)}
            />
          </Paper>
        ) : null}
        <ErrorAlert error={threads.error} />
        {threads.data?.items.length === 0 ? <Text c="dimmed">{t('community.thread.none')}</Text> : null}
        {threads.data?.items.length ? (
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('community.thread.title')}</Table.Th>
                <Table.Th>{t('community.thread.author')}</Table.Th>
                <Table.Th>{t('community.thread.replies')}</Table.Th>
                <Table.Th>{t('community.thread.lastActivity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {threads.data.items.map((th) => (
                <Table.Tr key={th.id}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {th.pinned ? <IconPin size={14} aria-label={t('community.thread.pinned')} /> : null}
                      {th.locked ? <IconLock size={14} aria-label={t('community.thread.locked')} /> : null}
                      <RouterAnchor to="/community/threads/$threadId" params={{ threadId: th.id }} fw={th.unread ? 700 : 400}>
                        {th.title}
                      </RouterAnchor>
                      <TlpBadge tlp={th.tlp} />
                      {th.answered ? (
                        <Badge size="sm" color="green" leftSection={<IconCheck size={12} aria-hidden />}>
                          {t('community.thread.answered')}
                        </Badge>
                      ) : null}
                      {th.hidden ? (
                        <Badge size="sm" color="gray">
                          {t('community.thread.hidden')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{th.authorName ?? '—'}</Text>
                    <Text size="xs" c="dimmed">
                      {th.authorOrganisation}
                    </Text>
                  </Table.Td>
                  <Table.Td>{th.replyCount}</Table.Td>
                  <Table.Td>
                    <DateTime value={th.lastActivityAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
      {editing ? <SpaceFormModal space={s} onClose={() => setEditing(false)} /> : null}
    </>
  );
}
