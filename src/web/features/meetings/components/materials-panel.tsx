import { useState } from 'react';
import { Anchor, Button, FileInput, Group, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { KIND_CHOICES, TLP_CHOICES, meetingPath, type Meeting } from '../api';
import { useUploadMaterial } from '../mutations';

/** Slides and minutes, each under its own marking; downloads only (the server checks each one). */
export function MaterialsPanel({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" mt="lg">
      <Title order={2} size="h4">
        {t('meetings.materials.title')}
      </Title>
      {meeting.materials.length === 0 ? <Text c="dimmed">{t('meetings.materials.empty')}</Text> : null}
      {meeting.materials.length > 0 ? (
        <Table>
          <Table.Tbody>
            {meeting.materials.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Anchor href={`${meetingPath(meeting.id)}/materials/${m.id}`} download={m.fileName}>
                    {m.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`meetings.materials.kinds.${m.kind}`)}</Table.Td>
                <Table.Td>
                  <TlpBadge tlp={m.tlp} />
                </Table.Td>
                <Table.Td>{m.fileName}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {meeting.canManage ? <UploadForm meeting={meeting} /> : null}
    </Stack>
  );
}

function UploadForm({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const upload = useUploadMaterial(meeting.id);
  const [kind, setKind] = useState<string>('slides');
  const [title, setTitle] = useState('');
  const [tlp, setTlp] = useState<string>(meeting.tlp);
  const [recipients, setRecipients] = useState('');
  const [file, setFile] = useState<File | null>(null);
  return (
    <Stack gap="xs">
      <Group grow align="flex-end">
        <Select
          label={t('meetings.materials.kind')}
          data={KIND_CHOICES.map((k) => ({ value: k, label: t(`meetings.materials.kinds.${k}`) }))}
          value={kind}
          onChange={(x) => setKind(x ?? 'slides')}
          allowDeselect={false}
        />
        <TextInput label={t('meetings.form.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Select
          label="TLP"
          data={TLP_CHOICES.map((x) => ({ value: x, label: `TLP:${x}` }))}
          value={tlp}
          onChange={(x) => setTlp(x ?? meeting.tlp)}
          allowDeselect={false}
        />
        <FileInput label={t('meetings.materials.file')} value={file} onChange={setFile} />
      </Group>
      {tlp !== 'GREEN' ? (
        <Textarea
          description={t('meetings.materials.recipientsHint')}
          autosize
          minRows={1}
          value={recipients}
          onChange={(e) => setRecipients(e.currentTarget.value)}
        />
      ) : null}
      <ErrorAlert error={upload.error} />
      <Button
        w="fit-content"
        disabled={!file || !title.trim()}
        loading={upload.isPending}
        onClick={() =>
          file &&
          upload.mutate(
            { kind, title, tlp, recipients: recipients.split(/\s+/).filter(Boolean), file },
            {
              onSuccess: () => {
                setTitle('');
                setFile(null);
              },
            },
          )
        }
      >
        {t('meetings.materials.upload')}
      </Button>
    </Stack>
  );
}
