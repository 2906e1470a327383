import { useState } from 'react';
import { Button, Group, Modal, SegmentedControl, Stack } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { useCreatePublication } from '../mutations';
import { MarkdownEditor } from './markdown-editor';
import { audienceOf, EMPTY_METADATA, MetadataFields, metadataErrors, type Metadata } from './metadata-fields';
import { PdfFileInput, pdfFileError } from './pdf-file-input';

/** The CERT writes a new publication (a draft): details, then Markdown or a PDF as version 1. */
export function CreatePublicationModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreatePublication();
  const [meta, setMeta] = useState<Metadata>(EMPTY_METADATA);
  const [source, setSource] = useState<'markdown' | 'pdf'>('markdown');
  const [markdown, setMarkdown] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [tried, setTried] = useState(false);
  const errors = metadataErrors(meta, t);
  const contentError = source === 'markdown' ? (markdown.trim() ? undefined : t('publications.form.required')) : pdfFileError(file, t);

  const submit = () => {
    setTried(true);
    if (Object.keys(errors).length > 0 || contentError) return;
    create.mutate(
      {
        input: {
          kind: meta.kind,
          title: meta.title.trim(),
          summary: meta.summary.trim(),
          tags: meta.tags,
          language: meta.language,
          tlp: meta.tlp,
          recipients: meta.recipients.map((organisationId) => ({ organisationId })),
          audience: audienceOf(meta),
          reviewBy: meta.reviewBy || null,
          ...(source === 'markdown' ? { markdown } : {}),
        },
        file: source === 'pdf' ? file : null,
      },
      {
        onSuccess: (created) => {
          onClose();
          void navigate({ to: '/publications/$id', params: { id: created.id } });
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('publications.new')} size="xl">
      <Stack gap="md">
        <MetadataFields value={meta} onChange={setMeta} errors={tried ? errors : {}} />
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
          <MarkdownEditor value={markdown} onChange={setMarkdown} error={tried ? contentError : undefined} />
        ) : (
          <PdfFileInput value={file} onChange={setFile} error={tried ? contentError : undefined} />
        )}
        <ErrorAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={create.isPending}>
            {t('publications.form.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
