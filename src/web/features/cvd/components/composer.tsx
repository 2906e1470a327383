import type { FormEvent } from 'react';
import { Alert, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconArrowForwardUp, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';

export interface Draft {
  body: string;
  /** The incoming message this one passes on (from another party's channel). */
  relayedFromId?: string;
}

interface ComposerProps {
  /** The form's accessible name, e.g. "Write to Ziekenhuis Noord". */
  label: string;
  fieldLabel: string;
  submitLabel: string;
  draft: Draft;
  onDraft: (draft: Draft) => void;
  onSend: () => void;
  sending: boolean;
  error: unknown;
  /** Shown above the text while a relay is being written: where it comes from. */
  relayNotice?: string;
}

/** A message box: the text, a send button, and the API's answer when it refuses (e.g. a relay that names the other side). */
export function Composer({ label, fieldLabel, submitLabel, draft, onDraft, onSend, sending, error, relayNotice }: ComposerProps) {
  const { t } = useTranslation();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.body.trim()) onSend();
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-label={label} data-testid="cvd-composer">
      <Stack gap="xs">
        {draft.relayedFromId && relayNotice ? (
          <Alert color="blue" variant="light" icon={<IconArrowForwardUp size={18} aria-hidden />} data-testid="cvd-relay-notice">
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Text size="sm">{relayNotice}</Text>
              <Button size="compact-xs" variant="subtle" onClick={() => onDraft({ body: '' })}>
                {t('cvd.channels.cancelRelay')}
              </Button>
            </Group>
          </Alert>
        ) : null}
        <Textarea
          label={fieldLabel}
          name="body"
          autosize
          minRows={3}
          maxRows={14}
          maxLength={20000}
          value={draft.body}
          onChange={(event) => onDraft({ ...draft, body: event.currentTarget.value })}
        />
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button type="submit" leftSection={<IconSend size={14} aria-hidden />} loading={sending} disabled={!draft.body.trim()}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
