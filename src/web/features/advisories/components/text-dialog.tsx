import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';

interface TextDialogProps {
  title: string;
  label: string;
  description?: string;
  /** The least number of characters (after trimming) the API accepts; 0 makes the text optional. */
  minLength: number;
  confirmLabel: string;
  confirmColor?: string;
  pending: boolean;
  error: unknown;
  onConfirm: (text: string) => void;
  onClose: () => void;
}

/** A dialog asking for one text before a workflow step: a change summary or a reason. */
export function TextDialog({ title, label, description, minLength, confirmLabel, confirmColor, pending, error, onConfirm, onClose }: TextDialogProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const tooShort = text.trim().length < minLength;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The modal is portalled, but React still bubbles its submit to forms around the trigger.
    event.stopPropagation();
    if (!tooShort) onConfirm(text.trim());
  };

  return (
    <Modal opened onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Textarea
            label={label}
            description={description}
            name="text"
            required={minLength > 0}
            autosize
            minRows={3}
            maxLength={2000}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            data-autofocus
          />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={confirmColor} loading={pending} disabled={tooShort}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
