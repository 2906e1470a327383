import { useState } from 'react';
import { Alert, Badge, Button, Group, Menu, Paper, Select, Stack, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { RouterAnchor } from '../../../components/router-links';
import { spacesQuery, threadQuery } from '../api';
import { uploadAttachment, useModerateThread, useReply } from '../mutations';
import { PostComposer, type Composed } from '../components/post-composer';
import { PostCard } from '../components/post-card';
import { useCommunityLive } from '../use-community-live';

const routeApi = getRouteApi('/_app/community/threads/$threadId');

/** A thread: the posts the reader may see (others are left out), reply box, and the CERT's moderation. */
export function CommunityThreadPage() {
  const { t } = useTranslation();
  const { threadId } = routeApi.useParams();
  const thread = useQuery(threadQuery(threadId));
  const reply = useReply(threadId);
  const moderate = useModerateThread(threadId);
  const [moving, setMoving] = useState(false);
  const spaces = useQuery({ ...spacesQuery(), enabled: moving });
  const [uploadError, setUploadError] = useState<unknown>(null);
  useCommunityLive();

  if (thread.error) return <ErrorAlert error={thread.error} />;
  if (!thread.data) return <LoadingIndicator />;
  const th = thread.data;

  const submit = async (v: Composed) => {
    const before = new Set(th.posts.map((p) => p.id));
    const after = await reply.mutateAsync({ body: v.body, tlp: v.tlp, recipients: v.recipients }).catch(() => null);
    if (!after) return false;
    const mine = after.posts.find((p) => !before.has(p.id) && p.canEdit);
    try {
      for (const file of v.files) if (mine) await uploadAttachment(mine.id, file);
    } catch (err) {
      setUploadError(err);
    }
    await thread.refetch();
    return true;
  };

  return (
    <>
      <PageHeader
        title={th.title}
        description={
          <RouterAnchor to="/community/$spaceId" params={{ spaceId: th.spaceId }}>
            {th.spaceName}
          </RouterAnchor>
        }
        actions={
          th.canModerate ? (
            <Menu>
              <Menu.Target>
                <Button variant="default">{t('community.moderation.menu')}</Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => moderate.mutate({ pinned: !th.pinned })}>
                  {th.pinned ? t('community.moderation.unpin') : t('community.moderation.pin')}
                </Menu.Item>
                <Menu.Item onClick={() => moderate.mutate({ locked: !th.locked })}>
                  {th.locked ? t('community.moderation.unlock') : t('community.moderation.lock')}
                </Menu.Item>
                <Menu.Item onClick={() => setMoving(true)}>{t('community.moderation.move')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          ) : null
        }
      />
      <Stack>
        <Group gap="xs">
          {th.pinned ? <Badge variant="light">{t('community.thread.pinned')}</Badge> : null}
          {th.answered ? <Badge color="green">{t('community.thread.answered')}</Badge> : null}
        </Group>
        {moving ? (
          <Group align="flex-end">
            <Select
              label={t('community.moderation.moveTo')}
              data={(spaces.data?.items ?? []).filter((s) => s.id !== th.spaceId).map((s) => ({ value: s.id, label: s.name }))}
              onChange={(v) => v && moderate.mutate({ spaceId: v }, { onSuccess: () => setMoving(false) })}
            />
            <Button variant="default" onClick={() => setMoving(false)}>
              {t('community.actions.cancel')}
            </Button>
          </Group>
        ) : null}
        <ErrorAlert error={moderate.error ?? uploadError} />
        {th.posts.map((p) => (
          <PostCard key={p.id} thread={th} post={p} />
        ))}
        {th.locked ? (
          <Alert icon={<IconLock size={16} aria-hidden />} color="gray">
            {t('community.thread.lockedNotice')}
          </Alert>
        ) : null}
        {th.canReply ? (
          <Paper withBorder p="md">
            <Title order={2} size="h5" mb="xs">
              {t('community.thread.reply')}
            </Title>
            <PostComposer spaceId={th.spaceId} submitLabel={t('community.thread.post')} pending={reply.isPending} error={reply.error} onSubmit={submit} />
          </Paper>
        ) : null}
      </Stack>
    </>
  );
}
