import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, FileInput, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDownload, IconFileUpload, IconTrash, IconUpload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { downloads, evidenceQuery, evidenceRequestsQuery, type Evidence } from '../api';
import { useDecideDeletion, useRequestDeletion, useUploadEvidence } from '../mutations';
import { HandOverEvidence, VerifyEvidence } from './evidence-actions';
import { ScrollX } from './scroll-x';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function UploadForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const upload = useUploadEvidence(caseId);
  const requests = useQuery(evidenceRequestsQuery(caseId));
  const open = (requests.data ?? []).filter((r) => !r.fulfilledAt);
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState('');
  const [requestId, setRequestId] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return setMissing(true);
    setMissing(false);
    upload.mutate(
      { file, description: description.trim() || undefined, requestId: requestId || undefined },
      {
        onSuccess: () => {
          setFile(null);
          setDescription('');
          setRequestId('');
        },
      },
    );
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-labelledby="upload-evidence-title" data-testid="upload-evidence">
      <Stack gap="xs">
        <Title order={3} size="h6" id="upload-evidence-title">
          {t('incidents.evidence.upload')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('incidents.evidence.uploadHelp')}
        </Text>
        <Group gap="sm" align="flex-start" wrap="wrap">
          <FileInput
            label={t('incidents.evidence.file')}
            placeholder={t('incidents.evidence.filePlaceholder')}
            name="file"
            value={file}
            onChange={(chosen) => {
              setFile(chosen);
              setMissing(false);
            }}
            clearable
            leftSection={<IconFileUpload size={16} aria-hidden />}
            error={missing ? t('incidents.evidence.fileMissing') : undefined}
            w={320}
          />
          <TextInput
            label={t('incidents.evidence.description')}
            name="description"
            maxLength={2000}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            w={280}
          />
          {open.length > 0 ? (
            <NativeSelect
              label={t('incidents.evidence.forRequest')}
              name="requestId"
              value={requestId}
              onChange={(event) => setRequestId(event.currentTarget.value)}
              data={[{ value: '', label: '—' }, ...open.map((r) => ({ value: r.id, label: r.description.slice(0, 80) }))]}
              w={260}
            />
          ) : null}
        </Group>
        <ErrorAlert error={upload.error} />
        <Group>
          <Button type="submit" leftSection={<IconUpload size={16} aria-hidden />} loading={upload.isPending} data-testid="upload-evidence-submit">
            {t('incidents.evidence.uploadSubmit')}
          </Button>
        </Group>
        {upload.data ? (
          <Alert color="green" variant="light" role="status" data-testid="upload-evidence-result">
            {t('incidents.evidence.uploaded', { name: upload.data.fileName })}{' '}
            <Text span ff="monospace" size="xs" style={{ wordBreak: 'break-all' }} data-testid="uploaded-sha256">
              {upload.data.sha256}
            </Text>
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}

function DeletionControls({ caseId, evidence }: { caseId: string; evidence: Evidence }) {
  const { t } = useTranslation();
  const request = useRequestDeletion(caseId);
  const decide = useDecideDeletion(caseId);
  const [reason, setReason] = useState<string | null>(null);
  if (evidence.deletedAt) return null;
  if (evidence.deletionRequested) {
    return (
      <Stack gap={4}>
        <Text size="xs" data-testid="deletion-requested">
          {t('incidents.evidence.deletionRequested', { by: evidence.deletionRequested.by ?? '—', reason: evidence.deletionRequested.reason })}
        </Text>
        <Group gap={4}>
          <Button
            size="compact-xs"
            color="red"
            loading={decide.isPending && decide.variables?.approve === true}
            onClick={() => decide.mutate({ evidenceId: evidence.id, approve: true })}
          >
            {t('incidents.evidence.approveDeletion')}
          </Button>
          <Button
            size="compact-xs"
            variant="default"
            loading={decide.isPending && decide.variables?.approve === false}
            onClick={() => decide.mutate({ evidenceId: evidence.id, approve: false })}
          >
            {t('incidents.evidence.refuseDeletion')}
          </Button>
        </Group>
        <ErrorAlert error={decide.error} />
      </Stack>
    );
  }
  if (reason === null) {
    return (
      <Button size="compact-xs" variant="subtle" color="red" leftSection={<IconTrash size={12} aria-hidden />} onClick={() => setReason('')}>
        {t('incidents.evidence.requestDeletion')}
      </Button>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim().length >= 3) request.mutate({ evidenceId: evidence.id, reason: reason.trim() }, { onSuccess: () => setReason(null) });
      }}
    >
      <Stack gap={4}>
        <TextInput
          size="xs"
          label={t('incidents.evidence.deletionReason')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          maxLength={2000}
        />
        <Group gap={4}>
          <Button type="submit" size="compact-xs" color="red" loading={request.isPending} disabled={reason.trim().length < 3}>
            {t('incidents.evidence.requestDeletionSubmit')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => setReason(null)}>
            {t('common.cancel')}
          </Button>
        </Group>
        <ErrorAlert error={request.error} />
      </Stack>
    </form>
  );
}

/** Evidence with its SHA-256 as recorded on arrival; each download is logged in the chain of custody. */
export function EvidencePanel({ caseId, isCert, readOnly }: { caseId: string; isCert: boolean; readOnly: boolean }) {
  const { t } = useTranslation();
  const evidence = useQuery(evidenceQuery(caseId));
  const list = evidence.data ?? [];
  return (
    <Stack gap="sm" data-testid="evidence-panel">
      {readOnly ? null : <UploadForm caseId={caseId} />}
      {evidence.isPending ? <LoadingIndicator /> : <ErrorAlert error={evidence.error} />}
      <ScrollX label={t('incidents.case.tabs.evidence')}>
        <Table verticalSpacing={6} striped data-testid="evidence-table">
          <caption className="visually-hidden">{t('incidents.case.tabs.evidence')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('incidents.evidence.file')}</Table.Th>
              <Table.Th scope="col">{t('incidents.evidence.size')}</Table.Th>
              <Table.Th scope="col">SHA-256</Table.Th>
              <Table.Th scope="col">{t('incidents.evidence.uploadedBy')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((e) => (
              <Table.Tr key={e.id} data-testid="evidence-row" data-file={e.fileName}>
                <Table.Td>
                  <Text size="sm" fw={500} data-testid="evidence-name">
                    {e.fileName}
                  </Text>
                  {e.description ? (
                    <Text size="xs" c="dimmed">
                      {e.description}
                    </Text>
                  ) : null}
                  <Group gap={4} mt={2}>
                    {isCert ? (
                      <Badge size="xs" variant={e.shared ? 'light' : 'default'} color="teal" component="span">
                        {e.shared ? t('incidents.shared') : t('incidents.internal')}
                      </Badge>
                    ) : null}
                    {e.deletedAt ? (
                      <Badge size="xs" color="red" variant="light" component="span">
                        {t('incidents.evidence.deleted')}
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td className="nowrap">{formatBytes(e.sizeBytes)}</Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }} maw={280} data-testid="evidence-sha256">
                    {e.sha256}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.uploadedBy ?? '—'}</Text>
                  <Text size="xs" c="dimmed">
                    <DateTime value={e.uploadedAt} />
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    {e.deletedAt ? null : (
                      <Anchor
                        href={downloads.evidence(caseId, e.id)}
                        download={e.fileName}
                        size="sm"
                        aria-label={t('incidents.evidence.downloadNamed', { name: e.fileName })}
                        data-testid="evidence-download"
                      >
                        <Group gap={4} wrap="nowrap" component="span">
                          <IconDownload size={14} aria-hidden />
                          {t('incidents.evidence.download')}
                        </Group>
                      </Anchor>
                    )}
                    {isCert && !e.deletedAt ? <VerifyEvidence caseId={caseId} evidence={e} /> : null}
                    {isCert && !readOnly && !e.deletedAt ? <HandOverEvidence caseId={caseId} evidence={e} /> : null}
                    {isCert && !readOnly ? <DeletionControls caseId={caseId} evidence={e} /> : null}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
            {evidence.isSuccess && list.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="sm" c="dimmed">
                    {t('incidents.evidence.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </ScrollX>
    </Stack>
  );
}
