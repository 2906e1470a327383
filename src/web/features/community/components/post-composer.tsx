import { useState } from 'react';
import { Button, FileInput, Group, MultiSelect, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, type Tlp } from '#lib/tlp.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { spaceOrganisationsQuery } from '../api';

export interface Composed {
  title: string;
  body: string;
  tlp: Tlp;
  recipients: { organisationId: string }[];
  files: File[];
}

interface Props {
  spaceId: string;
  withTitle?: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (value: Composed) => Promise<boolean>;
  onCancel?: () => void;
}

/** Markdown text, a TLP marking (naming organisations of the space from AMBER up) and files. */
export function PostComposer({ spaceId, withTitle = false, submitLabel, pending, error, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [tlp, setTlp] = useState<Tlp>('GREEN');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const named = tlp === 'AMBER' || tlp === 'AMBER+STRICT' || tlp === 'RED';
  const organisations = useQuery({ ...spaceOrganisationsQuery(spaceId), enabled: named });

  const submit = async () => {
    const done = await onSubmit({ title, body, tlp, recipients: named ? recipients.map((organisationId) => ({ organisationId })) : [], files });
    if (done) {
      setTitle('');
      setBody('');
      setRecipients([]);
      setFiles([]);
    }
  };

  return (
    <Stack gap="xs">
      {withTitle ? (
        <TextInput label={t('community.composer.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
      ) : null}
      <Textarea
        label={t('community.composer.body')}
        description={t('community.composer.bodyHint')}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        autosize
        minRows={4}
        required
      />
      <Group grow align="flex-start">
        <Select
          label={t('community.composer.tlp')}
          data={TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l}` }))}
          value={tlp}
          onChange={(v) => v && setTlp(v as Tlp)}
          allowDeselect={false}
        />
        <FileInput label={t('community.composer.files')} description={t('community.composer.filesHint')} multiple clearable value={files} onChange={setFiles} />
      </Group>
      {named ? (
        <MultiSelect
          label={t('community.composer.recipients')}
          description={t(tlp === 'AMBER' ? 'community.composer.recipientsAmber' : 'community.composer.recipientsStrict')}
          data={(organisations.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
          value={recipients}
          onChange={setRecipients}
          searchable
          required
        />
      ) : (
        <Text size="xs" c="dimmed">
          {t('community.composer.audienceAll')}
        </Text>
      )}
      {error ? <ErrorAlert error={error} /> : null}
      <Group justify="flex-end">
        {onCancel ? (
          <Button variant="default" onClick={onCancel}>
            {t('community.actions.cancel')}
          </Button>
        ) : null}
        <Button onClick={() => void submit()} loading={pending} disabled={!body.trim() || (withTitle && !title.trim()) || (named && recipients.length === 0)}>
          {submitLabel}
        </Button>
      </Group>
    </Stack>
  );
}
