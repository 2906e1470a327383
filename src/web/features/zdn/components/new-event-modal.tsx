import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Modal, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, TLP_WITH_RECIPIENTS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { RecipientsSelect } from '../../advisories/editor/recipients-select';
import { useCreateEvent, type ZdnEvent } from '../api';

interface NewEventModalProps {
  /** The CERT shares directly; what others create is a submission the CERT reviews first. */
  isSubmission: boolean;
  onClose: () => void;
  onCreated: (event: ZdnEvent) => void;
}

/** A new event: its title and marking, and for AMBER and up the organisations it is addressed to. */
export function NewEventModal({ isSubmission, onClose, onCreated }: NewEventModalProps) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tlp, setTlp] = useState<Tlp>('GREEN');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [sourceAnonymous, setSourceAnonymous] = useState(false);
  const [touched, setTouched] = useState(false);
  const create = useCreateEvent();
  const withRecipients = TLP_WITH_RECIPIENTS.includes(tlp);
  const recipientsMissing = withRecipients && recipients.length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!title.trim() || recipientsMissing) return;
    create.mutate(
      {
        title: title.trim(),
        tlp,
        description: description.trim(),
        recipients: withRecipients ? recipients.map((organisationId) => ({ organisationId })) : [],
        sourceAnonymous,
      },
      { onSuccess: onCreated },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('zdn.events.new')} size="lg">
      <form onSubmit={submit} noValidate data-testid="new-event-form">
        <Stack gap="sm">
          {isSubmission ? (
            <Alert color="blue" variant="light" role="note">
              {t('zdn.events.submissionNote')}
            </Alert>
          ) : null}
          <TextInput
            label={t('zdn.fields.title')}
            name="title"
            required
            maxLength={256}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value.replace(/[\r\n]/g, ' '))}
            error={touched && !title.trim() ? t('zdn.events.titleMissing') : undefined}
            data-autofocus
          />
          <Textarea
            label={t('zdn.fields.description')}
            description={t('common.optional')}
            name="description"
            autosize
            minRows={2}
            maxRows={8}
            maxLength={20_000}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <NativeSelect
            label={t('zdn.fields.tlp')}
            name="tlp"
            value={tlp}
            onChange={(event) => setTlp(optionalEnum(event.currentTarget.value, TLP_LEVELS) ?? tlp)}
            data={TLP_LEVELS.map((level) => ({ value: level, label: tlpLabel(level) }))}
          />
          {withRecipients ? (
            // The detection network needs named recipients for AMBER, AMBER+STRICT and RED alike.
            <RecipientsSelect
              value={recipients}
              onChange={setRecipients}
              required
              error={touched && recipientsMissing ? t('zdn.events.recipientsMissing') : undefined}
            />
          ) : null}
          <Checkbox
            label={t('zdn.events.anonymous')}
            description={t('zdn.events.anonymousHelp')}
            name="sourceAnonymous"
            checked={sourceAnonymous}
            onChange={(event) => setSourceAnonymous(event.currentTarget.checked)}
          />
          <ErrorAlert error={create.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="create-event">
              {t('zdn.events.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
