import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Stack, Text, TextInput, Textarea, TypographyStylesProvider } from '@mantine/core';
import { IconCheck, IconEyeOff, IconPaperclip } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { REACTIONS, attachmentUrl, versionsQuery, type Post, type Thread } from '../api';
import { useEditPost, useHidePost, useMarkAnswer, useReact } from '../mutations';
import { TlpBadge } from './tlp-badge';

interface Props {
  thread: Thread;
  post: Post;
}

/** One post: the server's sanitised HTML, its marking, files, reactions, and what the reader may do with it. */
export function PostCard({ thread, post }: Props) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(post.bodyMarkdown);
  const [title, setTitle] = useState(thread.title);
  const [hiding, setHiding] = useState(false);
  const [reason, setReason] = useState('');
  const [showVersions, setShowVersions] = useState(false);
  const edit = useEditPost(thread.id);
  const react = useReact(thread.id);
  const answer = useMarkAnswer(thread.id);
  const hide = useHidePost(thread.id);

  const save = async () => {
    await edit.mutateAsync({ postId: post.id, body: draft, version: post.version, ...(post.opening && title !== thread.title && { title }) });
    setEditing(false);
  };

  return (
    <Paper withBorder p="md" id={`post-${post.id}`} bg={post.hidden ? 'var(--mantine-color-gray-1)' : undefined}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Text fw={600}>{post.authorName ?? t('community.post.unknownAuthor')}</Text>
            <Text size="sm" c="dimmed">
              {post.authorOrganisation}
            </Text>
            <TlpBadge tlp={post.tlp} />
            {post.isAnswer ? (
              <Badge color="green" leftSection={<IconCheck size={12} aria-hidden />}>
                {t('community.post.answer')}
              </Badge>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">
            <DateTime value={post.createdAt} />
            {post.editedAt ? ` · ${t('community.post.edited')}` : ''}
          </Text>
        </Group>
        {post.hidden ? (
          <Alert color="gray" icon={<IconEyeOff size={16} aria-hidden />}>
            {t('community.post.hiddenBecause', { reason: post.hidden.reason })}
          </Alert>
        ) : null}
        {editing ? (
          <Stack gap="xs">
            {post.opening ? <TextInput label={t('community.composer.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} /> : null}
            <Textarea value={draft} onChange={(e) => setDraft(e.currentTarget.value)} autosize minRows={4} aria-label={t('community.composer.body')} />
            <ErrorAlert error={edit.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(false)}>
                {t('community.actions.cancel')}
              </Button>
              <Button loading={edit.isPending} onClick={() => void save()} disabled={!draft.trim()}>
                {t('community.actions.save')}
              </Button>
            </Group>
          </Stack>
        ) : (
          // The HTML was rendered and sanitised by the server (lib/markdown.ts): an allow-list, no raw HTML.
          <TypographyStylesProvider>
            <div dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
          </TypographyStylesProvider>
        )}
        {post.attachments.length ? (
          <Group gap="sm">
            {post.attachments.map((a) => (
              <Anchor key={a.id} href={attachmentUrl(a.id)} size="sm" download={a.fileName}>
                <Group gap={4} component="span">
                  <IconPaperclip size={14} aria-hidden />
                  {a.fileName} ({Math.ceil(a.sizeBytes / 1024)} kB)
                </Group>
              </Anchor>
            ))}
          </Group>
        ) : null}
        <Group justify="space-between" wrap="wrap">
          <Group gap={4}>
            {REACTIONS.map((r) => {
              const mine = post.reactions.find((x) => x.kind === r.kind);
              return (
                <Button
                  key={r.kind}
                  size="compact-xs"
                  variant={mine?.mine ? 'light' : 'subtle'}
                  aria-pressed={mine?.mine ?? false}
                  aria-label={t(`community.reactions.${r.kind}`)}
                  onClick={() => react.mutate({ postId: post.id, kind: r.kind, on: !mine?.mine })}
                >
                  {r.emoji} {mine?.count ? mine.count : ''}
                </Button>
              );
            })}
          </Group>
          <Group gap={4}>
            {post.canEdit && !post.hidden ? (
              <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>
                {t('community.actions.edit')}
              </Button>
            ) : null}
            {thread.canMarkAnswer && !post.opening ? (
              <Button size="compact-xs" variant="subtle" onClick={() => answer.mutate(post.isAnswer ? null : post.id)}>
                {post.isAnswer ? t('community.actions.unmarkAnswer') : t('community.actions.markAnswer')}
              </Button>
            ) : null}
            {thread.canModerate ? (
              <>
                {post.editedAt ? (
                  <Button size="compact-xs" variant="subtle" onClick={() => setShowVersions(true)}>
                    {t('community.actions.versions')}
                  </Button>
                ) : null}
                {post.hidden ? (
                  <Button size="compact-xs" variant="subtle" onClick={() => hide.mutate({ postId: post.id, reason: null })}>
                    {t('community.actions.unhide')}
                  </Button>
                ) : (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setHiding(true)}>
                    {t('community.actions.hide')}
                  </Button>
                )}
              </>
            ) : null}
          </Group>
        </Group>
        <ErrorAlert error={react.error ?? answer.error ?? hide.error} />
      </Stack>
      <Modal opened={hiding} onClose={() => setHiding(false)} title={t('community.actions.hide')}>
        <Stack>
          <TextInput label={t('community.post.hideReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required />
          <Button
            color="red"
            disabled={!reason.trim()}
            loading={hide.isPending}
            onClick={() => hide.mutate({ postId: post.id, reason }, { onSuccess: () => setHiding(false) })}
          >
            {t('community.actions.hide')}
          </Button>
        </Stack>
      </Modal>
      {showVersions ? <VersionsModal postId={post.id} onClose={() => setShowVersions(false)} /> : null}
    </Paper>
  );
}

function VersionsModal({ postId, onClose }: { postId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const versions = useQuery(versionsQuery(postId));
  return (
    <Modal opened onClose={onClose} title={t('community.post.versions')} size="lg">
      <Stack>
        <ErrorAlert error={versions.error} />
        {(versions.data?.items ?? []).map((v) => (
          <Paper key={v.version} withBorder p="sm">
            <Text size="xs" c="dimmed">
              {t('community.post.version', { version: v.version })} · {v.editedBy ?? ''} · <DateTime value={v.replacedAt} />
            </Text>
            {v.title ? <Text fw={600}>{v.title}</Text> : null}
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {v.bodyMarkdown}
            </Text>
          </Paper>
        ))}
      </Stack>
    </Modal>
  );
}
