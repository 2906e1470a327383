import { useState } from 'react';
import { Alert, Button, FileInput, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileTypeCsv } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { assetKeys, assetsApi, type ImportReport } from '../api';

interface AssetImportModalProps {
  organisationId: string;
  onClose: () => void;
}

function ReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="import-report">
      <Alert color={report.accepted > 0 ? 'green' : 'gray'} variant="light" role="status">
        {report.dryRun
          ? t('import.accepted', { count: report.accepted })
          : t('import.done', { count: report.accepted })}
      </Alert>
      {report.rejected.length > 0 ? (
        <>
          <Text size="sm" fw={600}>
            {t('import.rejectedTitle', { count: report.rejected.length })}
          </Text>
          <Table fz="xs" verticalSpacing={2} data-testid="import-rejected">
            <caption className="visually-hidden">
              {t('import.rejectedTitle', { count: report.rejected.length })}
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('import.line')}</Table.Th>
                <Table.Th scope="col">{t('import.value')}</Table.Th>
                <Table.Th scope="col">{t('import.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.rejected.map((row) => (
                <Table.Tr key={`${row.line}-${row.value}`}>
                  <Table.Td>{row.line}</Table.Td>
                  <Table.Td ff="monospace">{row.value}</Table.Td>
                  <Table.Td>{row.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : null}
    </Stack>
  );
}

/** Two-step CSV import: a dry run shows what would happen, then the same CSV is committed. */
export function AssetImportModal({ organisationId, onClose }: AssetImportModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const [file, setFile] = useState<File | null>(null);
  // The report belongs to the exact text it was produced for; editing the CSV invalidates it.
  const [checked, setChecked] = useState<{ csv: string; report: ImportReport } | null>(null);
  const [committed, setCommitted] = useState<ImportReport | null>(null);

  const dryRun = useMutation({
    mutationFn: (text: string) => assetsApi.importCsv(organisationId, text, true),
    onSuccess: (report, text) => setChecked({ csv: text, report }),
  });
  const commit = useMutation({
    mutationFn: (text: string) => assetsApi.importCsv(organisationId, text, false),
    onSuccess: async (report) => {
      setCommitted(report);
      await queryClient.invalidateQueries({ queryKey: assetKeys.all });
      notifications.show({ color: 'green', message: t('import.done', { count: report.accepted }) });
    },
  });

  const loadFile = (next: File | null) => {
    setFile(next);
    if (next) void next.text().then(setCsv);
  };

  const current = checked && checked.csv === csv ? checked.report : null;

  return (
    <Modal opened onClose={onClose} title={t('import.title')} size="xl">
      <Stack gap="sm">
        <Text size="sm">{t('import.help')}</Text>
        <FileInput
          label={t('import.file')}
          placeholder={t('import.filePlaceholder')}
          accept=".csv,text/csv,text/plain"
          leftSection={<IconFileTypeCsv size={16} aria-hidden />}
          value={file}
          onChange={loadFile}
          clearable
        />
        <Textarea
          label={t('import.csvLabel')}
          name="csv"
          autosize
          minRows={5}
          maxRows={14}
          spellCheck={false}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
          placeholder={'type,value\ndomain,example.nl\nip_range,192.0.2.0/24'}
          value={csv}
          onChange={(event) => {
            setCsv(event.currentTarget.value);
            setCommitted(null);
          }}
        />
        <ErrorAlert error={dryRun.error ?? commit.error} />
        {committed ? <ReportView report={committed} /> : current ? <ReportView report={current} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {committed ? t('common.close') : t('common.cancel')}
          </Button>
          <Button
            variant={current ? 'default' : 'filled'}
            onClick={() => dryRun.mutate(csv)}
            loading={dryRun.isPending}
            disabled={csv.trim() === '' || commit.isPending}
            data-testid="import-check"
          >
            {t('import.check')}
          </Button>
          <Button
            onClick={() => commit.mutate(csv)}
            loading={commit.isPending}
            disabled={!current || current.accepted === 0 || committed !== null}
            data-testid="import-commit"
          >
            {t('import.commit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
