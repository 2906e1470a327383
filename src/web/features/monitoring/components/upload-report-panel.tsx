import { useState, type FormEvent } from 'react';
import { Alert, Button, FileInput, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { IconFileUpload, IconUpload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { REPORT_FORMATS, REPORT_MAX_BYTES, sourcesQuery, useUploadReport, type IngestResult, type ReportFormat } from '../api';
import { IngestResultAlert } from './ingest-result';

const ACCEPT: Record<ReportFormat, string> = {
  shadowserver: '.csv,text/csv',
  nmap: '.xml,application/xml,text/xml',
  csv: '.csv,text/csv',
};

/**
 * The analyst's upload: pick the format (and for a mapped CSV its source), choose the file; the
 * browser reads it as text and the server reads it into findings, answering with what it made of it.
 */
export function UploadReportPanel() {
  const { t } = useTranslation();
  const [format, setFormat] = useState<ReportFormat>('shadowserver');
  const [sourceId, setSourceId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<{ field: 'file' | 'source'; message: string } | null>(null);
  const [reading, setReading] = useState(false);
  const [result, setResult] = useState<{ result: IngestResult; fileName: string } | null>(null);
  const upload = useUploadReport();
  const sources = useQuery({ ...sourcesQuery, enabled: format === 'csv' });
  const csvSources = (sources.data ?? []).filter((source) => source.kind === 'csv');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    upload.reset();
    if (format === 'csv' && !sourceId) return setProblem({ field: 'source', message: t('monitoring.upload.sourceMissing') });
    if (!file) return setProblem({ field: 'file', message: t('monitoring.upload.fileMissing') });
    if (file.size > REPORT_MAX_BYTES) return setProblem({ field: 'file', message: t('monitoring.upload.fileTooLarge') });
    setReading(true);
    let content: string;
    try {
      content = await file.text();
    } finally {
      setReading(false);
    }
    if (!content.trim()) return setProblem({ field: 'file', message: t('monitoring.upload.fileEmpty') });
    setProblem(null);
    const fileName = file.name;
    upload.mutate(
      { format, fileName, content, ...(format === 'csv' ? { sourceId } : {}) },
      {
        onSuccess: (outcome) => {
          setResult({ result: outcome, fileName });
          setFile(null);
        },
      },
    );
  };

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="upload-report-title" data-testid="upload-report-panel">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h5" id="upload-report-title">
            {t('monitoring.upload.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('monitoring.upload.intro')}
          </Text>
          <Group gap="sm" align="flex-start" wrap="wrap">
            <NativeSelect
              label={t('monitoring.upload.format')}
              name="format"
              value={format}
              onChange={(event) => {
                setFormat(optionalEnum(event.currentTarget.value, REPORT_FORMATS) ?? 'shadowserver');
                setProblem(null);
              }}
              data={REPORT_FORMATS.map((value) => ({ value, label: t(`monitoring.upload.formats.${value}`) }))}
              w={240}
            />
            {format === 'csv' ? (
              <NativeSelect
                label={t('monitoring.upload.source')}
                description={csvSources.length === 0 && sources.isSuccess ? t('monitoring.upload.noCsvSources') : t('monitoring.upload.sourceHelp')}
                name="sourceId"
                value={sourceId}
                onChange={(event) => setSourceId(event.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...csvSources.map((source) => ({ value: source.id, label: source.name }))]}
                error={problem?.field === 'source' ? problem.message : undefined}
                w={280}
              />
            ) : null}
            <FileInput
              label={t('monitoring.upload.file')}
              placeholder={t('monitoring.upload.filePlaceholder')}
              name="file"
              accept={ACCEPT[format]}
              value={file}
              onChange={(chosen) => {
                setFile(chosen);
                setProblem(null);
              }}
              clearable
              leftSection={<IconFileUpload size={16} aria-hidden />}
              error={problem?.field === 'file' ? problem.message : undefined}
              w={340}
              data-testid="report-file"
            />
          </Group>
          <Group gap="xs">
            <Button type="submit" leftSection={<IconUpload size={16} aria-hidden />} loading={reading || upload.isPending} data-testid="upload-report">
              {t('monitoring.upload.submit')}
            </Button>
          </Group>
          {reading ? (
            <Alert color="blue" variant="light" role="status">
              {t('monitoring.upload.reading')}
            </Alert>
          ) : null}
          <ErrorAlert error={upload.error} />
          {result ? <IngestResultAlert result={result.result} fileName={result.fileName} /> : null}
        </Stack>
      </form>
    </Paper>
  );
}
