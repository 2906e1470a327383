import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, NativeSelect, NumberInput, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { fieldIssuesOf } from '../../advisories/errors';
import { MAX_INTERVAL, MIN_INTERVAL, SOURCE_KINDS, URL_KINDS, type NewSource, type Source, type SourceChange, type SourceKind } from '../api';
import { useCreateSource, useUpdateSource } from '../mutations';

/** The fields of the form; an API error naming one of them (details.field) is shown next to it. */
const FIELDS = ['kind', 'name', 'url', 'mailAddress', 'tlp', 'intervalMinutes', 'enabled', 'publicKeys'] as const;
type Field = (typeof FIELDS)[number];

interface Draft {
  kind: SourceKind;
  name: string;
  url: string;
  mailAddress: string;
  tlp: Tlp;
  intervalMinutes: number | string;
  enabled: boolean;
  keys: string;
  /** On edit: drop the keys pinned now (they cannot be read back, only replaced). */
  clearKeys: boolean;
}

function draftOf(source: Source | null): Draft {
  return {
    kind: source?.kind ?? 'rss',
    name: source?.name ?? '',
    url: source?.url ?? '',
    mailAddress: source?.mailAddress ?? '',
    tlp: source?.tlp ?? 'CLEAR',
    intervalMinutes: source?.intervalMinutes ?? 60,
    enabled: source?.enabled ?? true,
    keys: '',
    clearKeys: false,
  };
}

const KEY_BLOCK = /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/g;

/** Armoured keys pasted one after another; text that holds no key block goes as it is (the server says what is wrong). */
export function splitKeys(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const blocks = trimmed.match(KEY_BLOCK);
  return blocks && blocks.length > 0 ? blocks : [trimmed];
}

/** The API error's field, as a field of this form ("publicKeys.1" is the keys' textarea). */
function formField(path: string): Field | null {
  const head = path.split('.')[0] ?? '';
  return FIELDS.find((field) => field === head) ?? null;
}

/** Add or change a source: kind, name, URL (or mail address for a mailbox), marking, interval, enabled, pinned keys for CSAF. */
export function SourceFormModal({ source, onClose }: { source: Source | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftOf(source));
  const create = useCreateSource();
  const update = useUpdateSource();
  const mutation = source ? update : create;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const usesUrl = URL_KINDS.includes(draft.kind);

  const issues = fieldIssuesOf(mutation.error);
  const errorOf = (field: Field): string | undefined => {
    const found = issues.filter((issue) => formField(issue.field) === field);
    return found.length > 0 ? found.map((issue) => issue.message).join(' ') : undefined;
  };
  // An error that names no field of the form is shown above the buttons.
  const placed = issues.length > 0 && issues.every((issue) => formField(issue.field) !== null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const interval = typeof draft.intervalMinutes === 'number' ? draft.intervalMinutes : Number(draft.intervalMinutes);
    const keys = splitKeys(draft.keys);
    const done = (saved: Source) => {
      notifications.show({ color: 'green', message: t(source ? 'intake.sources.form.saved' : 'intake.sources.form.added', { name: saved.name }) });
      onClose();
    };
    if (source) {
      const change: SourceChange = {
        name: draft.name,
        tlp: draft.tlp,
        intervalMinutes: interval,
        enabled: draft.enabled,
        ...(usesUrl && draft.url.trim() !== (source.url ?? '') && { url: draft.url.trim() }),
        ...(draft.kind === 'mailbox' && draft.mailAddress.trim() !== (source.mailAddress ?? '') && { mailAddress: draft.mailAddress.trim() }),
        ...(draft.kind === 'csaf' && (keys.length > 0 ? { publicKeys: keys } : draft.clearKeys ? { publicKeys: [] } : {})),
      };
      update.mutate({ id: source.id, change }, { onSuccess: done });
      return;
    }
    const input: NewSource = {
      kind: draft.kind,
      name: draft.name,
      tlp: draft.tlp,
      intervalMinutes: interval,
      enabled: draft.enabled,
      ...(usesUrl ? { url: draft.url.trim() } : { mailAddress: draft.mailAddress.trim() }),
      publicKeys: draft.kind === 'csaf' ? keys : [],
    };
    create.mutate(input, { onSuccess: done });
  };

  return (
    <Modal opened onClose={onClose} title={source ? t('intake.sources.form.editTitle', { name: source.name }) : t('intake.sources.form.addTitle')} size="lg">
      <form onSubmit={submit} noValidate data-testid="source-form">
        <Stack gap="sm">
          {source ? (
            <Text size="sm">
              <Text span size="sm" c="dimmed">
                {t('intake.sources.kind')}:
              </Text>{' '}
              {t(`intake.kinds.${source.kind}`)}
            </Text>
          ) : (
            <NativeSelect
              label={t('intake.sources.kind')}
              name="kind"
              value={draft.kind}
              onChange={(event) => {
                set('kind', optionalEnum(event.currentTarget.value, SOURCE_KINDS) ?? 'rss');
                create.reset();
              }}
              data={SOURCE_KINDS.map((kind) => ({ value: kind, label: t(`intake.kinds.${kind}`) }))}
              error={errorOf('kind')}
              data-autofocus
            />
          )}
          <TextInput
            label={t('intake.sources.name')}
            name="name"
            required
            maxLength={200}
            value={draft.name}
            onChange={(event) => set('name', event.currentTarget.value)}
            error={errorOf('name')}
          />
          {usesUrl ? (
            <TextInput
              label={t('intake.sources.url')}
              description={t(`intake.sources.form.urlHelp.${draft.kind === 'mailbox' ? 'rss' : draft.kind}`)}
              name="url"
              type="url"
              required
              maxLength={2000}
              placeholder="https://"
              value={draft.url}
              onChange={(event) => set('url', event.currentTarget.value)}
              error={errorOf('url')}
            />
          ) : (
            <TextInput
              label={t('intake.sources.mailAddress')}
              description={t('intake.sources.form.mailHelp')}
              name="mailAddress"
              type="email"
              required
              maxLength={320}
              value={draft.mailAddress}
              onChange={(event) => set('mailAddress', event.currentTarget.value)}
              error={errorOf('mailAddress')}
            />
          )}
          <Group gap="sm" align="flex-start" wrap="wrap">
            <NativeSelect
              label={t('intake.sources.tlp')}
              description={t('intake.sources.form.tlpHelp')}
              name="tlp"
              value={draft.tlp}
              onChange={(event) => set('tlp', optionalEnum(event.currentTarget.value, TLP_LEVELS) ?? 'CLEAR')}
              data={TLP_LEVELS.map((tlp) => ({ value: tlp, label: tlpLabel(tlp) }))}
              error={errorOf('tlp')}
              w={220}
            />
            <NumberInput
              label={t('intake.sources.intervalMinutes')}
              description={t('intake.sources.form.intervalHelp', { min: MIN_INTERVAL, max: MAX_INTERVAL })}
              name="intervalMinutes"
              min={MIN_INTERVAL}
              max={MAX_INTERVAL}
              allowDecimal={false}
              value={draft.intervalMinutes}
              onChange={(value) => set('intervalMinutes', value)}
              error={errorOf('intervalMinutes')}
              w={240}
            />
          </Group>
          <Switch
            label={t('intake.sources.enabled')}
            name="enabled"
            checked={draft.enabled}
            onChange={(event) => set('enabled', event.currentTarget.checked)}
            error={errorOf('enabled')}
          />
          {draft.kind === 'csaf' ? (
            <>
              <Textarea
                label={t('intake.sources.form.keys')}
                description={
                  source && source.publicKeyCount > 0
                    ? t('intake.sources.form.keysPinned', { count: source.publicKeyCount })
                    : t('intake.sources.form.keysHelp')
                }
                name="publicKeys"
                autosize
                minRows={3}
                maxRows={10}
                ff="monospace"
                placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----"
                value={draft.keys}
                onChange={(event) => set('keys', event.currentTarget.value)}
                error={errorOf('publicKeys')}
              />
              {source && source.publicKeyCount > 0 ? (
                <Checkbox
                  label={t('intake.sources.form.clearKeys')}
                  checked={draft.clearKeys}
                  disabled={draft.keys.trim() !== ''}
                  onChange={(event) => set('clearKeys', event.currentTarget.checked)}
                />
              ) : null}
            </>
          ) : null}
          {placed ? null : <ErrorAlert error={mutation.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="save-source">
              {source ? t('common.save') : t('intake.sources.form.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
