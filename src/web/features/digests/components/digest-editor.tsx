import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, type Tlp } from '#lib/tlp.ts';
import { ConfirmButton } from '../../../components/confirm-button';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import type { DigestDetail, DigestEntry } from '../api';
import { useAddEntry, useRemoveEntry, useReorder, useSaveTexts, useStep, type DigestStep } from '../mutations';
import { useEntryLabel } from './digest-body';

/** The CERT's controls: texts, order, media items and links, hold/release, review, send. */
export function DigestEditor({ digest }: { digest: DigestDetail }) {
  const sent = digest.status === 'sent';
  return (
    <Stack gap="md">
      <StateAndActions digest={digest} />
      {sent ? null : (
        <>
          <Texts key={`${digest.id}:${digest.introduction ?? ''}:${digest.commentary ?? ''}`} digest={digest} />
          <Entries digest={digest} />
          <AddEntry digest={digest} />
        </>
      )}
    </Stack>
  );
}

function StateAndActions({ digest }: { digest: DigestDetail }) {
  const { t } = useTranslation();
  const step = useStep(digest.id);
  const e = digest.editor;
  const run = (s: DigestStep) => step.mutate(s);
  const button = (s: DigestStep, label: string, variant: 'filled' | 'default' | 'light' = 'default') => (
    <Button variant={variant} loading={step.isPending && step.variables === s} onClick={() => run(s)}>
      {label}
    </Button>
  );
  const sendable = digest.kind === 'week' ? digest.status === 'draft' || digest.status === 'held' : digest.status === 'approved';
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="digest-state">
      <Title order={2} size="h4" id="digest-state" mb="xs">
        {t('digests.editor.state')}
      </Title>
      <Stack gap={4} mb="sm">
        <Text size="sm">
          {digest.status === 'sent' ? (
            <>
              {t('digests.sentAt')} <DateTime value={digest.sentAt} />
              {e?.recipients ? ` · ${t('digests.editor.sentTo', { contacts: e.recipients.contacts, organisations: e.recipients.organisations })}` : null}
            </>
          ) : digest.scheduledAt && digest.status !== 'held' ? (
            <>
              {t('digests.scheduledAt')} <DateTime value={digest.scheduledAt} />
            </>
          ) : digest.status === 'held' ? (
            t('digests.editor.heldNote')
          ) : digest.kind === 'month' ? (
            t('digests.editor.monthNote')
          ) : null}
        </Text>
        {e ? (
          <Text size="xs" c="dimmed">
            {t('digests.editor.people', { author: e.authorName ?? '—', editor: e.lastEditedByName ?? '—', reviewer: e.reviewerName ?? '—' })}
            {e.outbox.sent + e.outbox.pending + e.outbox.failed + e.outbox.held > 0
              ? ` · ${t('digests.editor.outbox', { sent: e.outbox.sent, pending: e.outbox.pending, failed: e.outbox.failed, held: e.outbox.held })}`
              : null}
          </Text>
        ) : null}
        {digest.status === 'in_review' && e && !e.mayApprove ? (
          <Text size="sm" c="orange.9">
            {t('digests.editor.fourEyes')}
          </Text>
        ) : null}
      </Stack>
      {digest.status === 'sent' ? null : (
        <Group gap="xs" wrap="wrap">
          {button('assemble', t('digests.editor.assemble'))}
          {digest.kind === 'week' && digest.status === 'draft' ? button('hold', t('digests.editor.hold')) : null}
          {digest.kind === 'week' && digest.status === 'held' ? button('release', t('digests.editor.release')) : null}
          {digest.kind === 'month' && digest.status === 'draft' ? button('submit', t('digests.editor.submit'), 'filled') : null}
          {digest.kind === 'month' && digest.status === 'in_review' && e?.mayApprove ? button('approve', t('digests.editor.approve'), 'filled') : null}
          {sendable ? (
            <ConfirmButton
              color="red.9"
              message={t('digests.editor.sendConfirm')}
              confirmLabel={t('digests.editor.send')}
              loading={step.isPending && step.variables === 'send'}
              onConfirm={() => run('send')}
            >
              {t('digests.editor.send')}
            </ConfirmButton>
          ) : null}
        </Group>
      )}
      <ErrorAlert error={step.error} />
    </Paper>
  );
}

function Texts({ digest }: { digest: DigestDetail }) {
  const { t } = useTranslation();
  const save = useSaveTexts(digest.id);
  const [introduction, setIntroduction] = useState(digest.introduction ?? '');
  const [commentary, setCommentary] = useState(digest.commentary ?? '');
  const changed = introduction !== (digest.introduction ?? '') || (digest.kind === 'month' && commentary !== (digest.commentary ?? ''));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="digest-texts">
      <Title order={2} size="h4" id="digest-texts" mb="xs">
        {t('digests.editor.texts')}
      </Title>
      <Stack gap="sm">
        <Textarea
          label={t('digests.editor.introduction')}
          description={t('digests.editor.markdownHint')}
          name="introduction"
          autosize
          minRows={3}
          maxRows={16}
          value={introduction}
          onChange={(ev) => setIntroduction(ev.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        {digest.kind === 'month' ? (
          <Textarea
            label={t('digests.editor.commentary')}
            description={t('digests.editor.markdownHint')}
            name="commentary"
            autosize
            minRows={5}
            maxRows={24}
            value={commentary}
            onChange={(ev) => setCommentary(ev.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
        ) : null}
        {digest.kind === 'month' && (digest.status === 'in_review' || digest.status === 'approved') ? (
          <Text size="xs" c="orange.9">
            {t('digests.editor.editVoidsApproval')}
          </Text>
        ) : null}
        <Group>
          <Button
            disabled={!changed}
            loading={save.isPending}
            onClick={() => save.mutate(digest.kind === 'month' ? { introduction, commentary } : { introduction })}
          >
            {t('digests.editor.saveTexts')}
          </Button>
        </Group>
        <ErrorAlert error={save.error} />
      </Stack>
    </Paper>
  );
}

/** The entries in order, each movable with up/down buttons (keyboard: Tab to a button, Enter); focus follows the moved entry. */
function Entries({ digest }: { digest: DigestDetail }) {
  const { t } = useTranslation();
  const label = useEntryLabel();
  const reorder = useReorder(digest.id);
  const remove = useRemoveEntry(digest.id);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const [focusAfter, setFocusAfter] = useState<{ id: string; direction: 'up' | 'down' } | null>(null);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    if (!focusAfter) return;
    const index = digest.entries.findIndex((e) => e.id === focusAfter.id);
    // At the edge the button in the moved direction is disabled: focus its partner instead.
    const direction =
      (focusAfter.direction === 'up' && index === 0) || (focusAfter.direction === 'down' && index === digest.entries.length - 1)
        ? focusAfter.direction === 'up'
          ? 'down'
          : 'up'
        : focusAfter.direction;
    buttons.current.get(`${focusAfter.id}:${direction}`)?.focus();
    setFocusAfter(null);
  }, [digest.entries, focusAfter]);

  const move = (entry: DigestEntry, direction: 'up' | 'down') => {
    const ids = digest.entries.map((e) => e.id);
    const from = ids.indexOf(entry.id);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    reorder.mutate(ids, {
      onSuccess: () => {
        setFocusAfter({ id: entry.id, direction });
        setAnnouncement(t('digests.editor.moved', { title: entry.title, position: to + 1, count: ids.length }));
      },
    });
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="digest-order">
      <Title order={2} size="h4" id="digest-order" mb={4}>
        {t('digests.editor.order')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('digests.editor.orderHint')}
      </Text>
      {digest.entries.length === 0 ? <Text c="dimmed">{t('digests.editor.noEntries')}</Text> : null}
      <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: 'none' }} data-testid="digest-order">
        {digest.entries.map((e, i) => (
          <Group key={e.id} component="li" gap="xs" wrap="nowrap" justify="space-between" data-entry-title={e.title}>
            <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
              <Text size="sm" c="dimmed" w={24} ta="right">
                {i + 1}.
              </Text>
              <TlpBadge tlp={e.tlp} size="xs" />
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  {e.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {label(e)}
                </Text>
              </Stack>
            </Group>
            <Group gap={4} wrap="nowrap">
              <Tooltip label={t('digests.editor.moveUp', { title: e.title })}>
                <ActionIcon
                  variant="default"
                  aria-label={t('digests.editor.moveUp', { title: e.title })}
                  disabled={i === 0 || reorder.isPending}
                  onClick={() => move(e, 'up')}
                  ref={(el) => void (el ? buttons.current.set(`${e.id}:up`, el) : buttons.current.delete(`${e.id}:up`))}
                >
                  <IconArrowUp size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('digests.editor.moveDown', { title: e.title })}>
                <ActionIcon
                  variant="default"
                  aria-label={t('digests.editor.moveDown', { title: e.title })}
                  disabled={i === digest.entries.length - 1 || reorder.isPending}
                  onClick={() => move(e, 'down')}
                  ref={(el) => void (el ? buttons.current.set(`${e.id}:down`, el) : buttons.current.delete(`${e.id}:down`))}
                >
                  <IconArrowDown size={16} />
                </ActionIcon>
              </Tooltip>
              {e.kind !== 'product' ? (
                <Tooltip label={t('digests.editor.remove', { title: e.title })}>
                  <ActionIcon
                    variant="default"
                    color="red.9"
                    aria-label={t('digests.editor.remove', { title: e.title })}
                    loading={remove.isPending && remove.variables === e.id}
                    onClick={() => remove.mutate(e.id)}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              ) : null}
            </Group>
          </Group>
        ))}
      </Stack>
      {/* Screen readers hear where an entry went. */}
      <Text aria-live="polite" size="xs" c="dimmed" mt="xs" data-testid="digest-order-status">
        {announcement}
      </Text>
      <ErrorAlert error={reorder.error ?? remove.error} />
    </Paper>
  );
}

function AddEntry({ digest }: { digest: DigestDetail }) {
  const { t } = useTranslation();
  const add = useAddEntry(digest.id);
  const empty = { kind: 'link' as 'link' | 'media', title: '', url: '', sourceName: '', summary: '', tlp: 'CLEAR' as Tlp };
  const [form, setForm] = useState(empty);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const submit = () =>
    add.mutate(
      { kind: form.kind, title: form.title, url: form.url.trim() || null, sourceName: form.sourceName, summary: form.summary, tlp: form.tlp },
      { onSuccess: () => setForm(empty) },
    );
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="digest-add">
      <Title order={2} size="h4" id="digest-add" mb="xs">
        {t('digests.editor.add')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Select
          label={t('digests.editor.entryKind')}
          data={[
            { value: 'link', label: t('digests.entryKind.link') },
            { value: 'media', label: t('digests.entryKind.media') },
          ]}
          value={form.kind}
          onChange={(v) => set('kind', v === 'media' ? 'media' : 'link')}
          allowDeselect={false}
        />
        <Select
          label={t('digests.editor.tlp')}
          data={TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l}` }))}
          value={form.tlp}
          onChange={(v) => set('tlp', TLP_LEVELS.find((l) => l === v) ?? 'CLEAR')}
          allowDeselect={false}
        />
        <TextInput label={t('digests.editor.title')} required value={form.title} maxLength={300} onChange={(ev) => set('title', ev.currentTarget.value)} />
        <TextInput
          label={t('digests.editor.url')}
          required={form.kind === 'link'}
          type="url"
          value={form.url}
          maxLength={2000}
          onChange={(ev) => set('url', ev.currentTarget.value)}
        />
        <TextInput
          label={t('digests.editor.sourceName')}
          value={form.sourceName}
          maxLength={200}
          onChange={(ev) => set('sourceName', ev.currentTarget.value)}
        />
        <Textarea
          label={t('digests.editor.summary')}
          value={form.summary}
          maxLength={2000}
          autosize
          minRows={1}
          onChange={(ev) => set('summary', ev.currentTarget.value)}
        />
      </SimpleGrid>
      <Group mt="sm">
        <Button onClick={submit} loading={add.isPending} disabled={!form.title.trim() || (form.kind === 'link' && !form.url.trim())}>
          {t('digests.editor.addButton')}
        </Button>
      </Group>
      <ErrorAlert error={add.error} />
      {digest.entries.some((e) => e.kind === 'media') ? null : (
        <Alert color="gray" mt="sm" variant="light">
          {t('digests.editor.mediaHint')}
        </Alert>
      )}
    </Paper>
  );
}
