import { useState } from 'react';
import { Anchor, Badge, Button, Code, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { downloads, type PublicationDetail } from '../api';
import { useAddVersion, usePublish } from '../mutations';
import { MarkdownEditor } from './markdown-editor';
import { PdfFileInput, pdfFileError } from './pdf-file-input';

const kB = (bytes: number | null) => (bytes === null ? '—' : `${Math.max(1, Math.round(bytes / 1024))} kB`);

/** Every version for the CERT (with downloads and hashes), each downloadable and publishable; then a new one. */
export function VersionsPanel({ publication: p }: { publication: PublicationDetail }) {
  const { t } = useTranslation();
  const publish = usePublish(p.id);
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h4" mb="sm">
        {t('publications.detail.versions')}
      </Title>
      {p.versions.length === 0 ? (
        <Text c="dimmed">{t('publications.detail.noVersion')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('publications.form.source')}</Table.Th>
                <Table.Th>{t('publications.published')}</Table.Th>
                <Table.Th>{t('publications.detail.size')}</Table.Th>
                <Table.Th>{t('publications.detail.downloads')}</Table.Th>
                <Table.Th>{t('publications.detail.sha256')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.versions.map((v) => (
                <Table.Tr key={v.version}>
                  <Table.Td>
                    {v.version} {v.current ? <Badge size="xs">{t('publications.detail.current')}</Badge> : null}
                    {v.changeNote ? (
                      <Text size="xs" c="dimmed">
                        {v.changeNote}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{t(`publications.detail.source.${v.source}`)}</Table.Td>
                  <Table.Td>{v.publishedAt ? <DateTime value={v.publishedAt} /> : '—'}</Table.Td>
                  <Table.Td>{kB(v.sizeBytes)}</Table.Td>
                  <Table.Td>{v.downloads ?? '—'}</Table.Td>
                  <Table.Td>{v.sha256 ? <Code title={v.sha256}>{v.sha256.slice(0, 12)}…</Code> : '—'}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor href={downloads.version(p.id, v.version)} size="sm">
                        PDF
                      </Anchor>
                      {!v.current || p.status !== 'published' ? (
                        <Button
                          size="compact-xs"
                          variant="light"
                          loading={publish.isPending && publish.variables === v.version}
                          onClick={() => publish.mutate(v.version)}
                        >
                          {t('publications.detail.publishVersion', { version: v.version })}
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ErrorAlert error={publish.error} />
      <NewVersionForm publication={p} />
    </Paper>
  );
}

function NewVersionForm({ publication: p }: { publication: PublicationDetail }) {
  const { t } = useTranslation();
  const add = useAddVersion(p.id);
  const [source, setSource] = useState<'markdown' | 'pdf'>(p.markdown !== null || p.versions.length === 0 ? 'markdown' : 'pdf');
  const [markdown, setMarkdown] = useState(p.markdown ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [changeNote, setChangeNote] = useState('');
  const [tried, setTried] = useState(false);
  const error = source === 'markdown' ? (markdown.trim() ? undefined : t('publications.form.required')) : pdfFileError(file, t);
  const submit = () => {
    setTried(true);
    if (error) return;
    const input = source === 'pdf' && file ? { file, changeNote } : { markdown, changeNote };
    add.mutate(input, {
      onSuccess: () => {
        setTried(false);
        setFile(null);
        setChangeNote('');
      },
    });
  };
  return (
    <Stack gap="sm" mt="lg">
      <Title order={3} size="h5">
        {t('publications.detail.newVersion')}
      </Title>
      <SegmentedControl
        aria-label={t('publications.form.source')}
        value={source}
        onChange={(v) => setSource(v === 'pdf' ? 'pdf' : 'markdown')}
        data={[
          { value: 'markdown', label: t('publications.form.sourceMarkdown') },
          { value: 'pdf', label: t('publications.form.sourcePdf') },
        ]}
      />
      {source === 'markdown' ? (
        <MarkdownEditor value={markdown} onChange={setMarkdown} error={tried ? error : undefined} />
      ) : (
        <PdfFileInput value={file} onChange={setFile} error={tried ? error : undefined} />
      )}
      <TextInput label={t('publications.form.changeNote')} value={changeNote} onChange={(e) => setChangeNote(e.currentTarget.value)} maxLength={1000} />
      <ErrorAlert error={add.error} />
      <Group justify="flex-end">
        <Button onClick={submit} loading={add.isPending}>
          {t('publications.detail.addVersion')}
        </Button>
      </Group>
    </Stack>
  );
}
