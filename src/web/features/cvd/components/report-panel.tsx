import type { ReactNode } from 'react';
import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import type { CvdCase, PartyView } from '../api';

type Report = Pick<CvdCase, 'targetKind' | 'target' | 'vendor' | 'product' | 'model' | 'version' | 'description' | 'steps' | 'impact'>;

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid={testId}>
        {children}
      </Text>
    </div>
  );
}

/** What is affected: a website or system by its address, a product by vendor, product, model and version. */
function Target({ report }: { report: Report }) {
  const { t } = useTranslation();
  if (report.targetKind !== 'product') {
    return (
      <Field label={t(`cvd.targetKind.${report.targetKind}`)} testId="cvd-target">
        {report.target ?? '—'}
      </Field>
    );
  }
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
      <Field label={t('cvd.fields.vendor')} testId="cvd-vendor">
        {report.vendor ?? '—'}
      </Field>
      <Field label={t('cvd.fields.product')} testId="cvd-product">
        {report.product ?? '—'}
      </Field>
      <Field label={t('cvd.fields.model')}>{report.model ?? '—'}</Field>
      <Field label={t('cvd.fields.version')}>{report.version ?? '—'}</Field>
    </SimpleGrid>
  );
}

/** The finder's own words: what, how to reproduce, and the impact. */
function ReportBody({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <>
      <Target report={report} />
      <Field label={t('cvd.fields.description')} testId="cvd-description">
        {report.description}
      </Field>
      {report.steps ? <Field label={t('cvd.fields.steps')}>{report.steps}</Field> : null}
      {report.impact ? <Field label={t('cvd.fields.impact')}>{report.impact}</Field> : null}
    </>
  );
}

/** The report as the CERT reads it: with how it came in, whether it was encrypted, and the finder's wishes. */
export function CertReportPanel({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const finder = cvd.parties.find((p) => p.kind === 'finder');
  const credit = cvd.credit === 'name' || cvd.credit === 'alias' ? `${t(`cvd.credit.${cvd.credit}`)}: ${cvd.creditName ?? '—'}` : t(`cvd.credit.${cvd.credit}`);
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-report-title" data-testid="cvd-report">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h5" id="cvd-report-title">
            {t('cvd.report.title')}
          </Title>
          <Group gap={6}>
            <Badge variant="default" size="sm" component="span">
              {t(`cvd.intake.${cvd.intake}`)}
            </Badge>
            {cvd.encrypted ? (
              <Badge color="teal" variant="light" size="sm" component="span" leftSection={<IconLock size={12} aria-hidden />} data-testid="cvd-encrypted">
                {t('cvd.report.encrypted')}
              </Badge>
            ) : null}
          </Group>
        </Group>
        <ReportBody report={cvd} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Field label={t('cvd.fields.received')}>
            <DateTime value={cvd.receivedAt} />
          </Field>
          <Field label={t('cvd.fields.finder')} testId="cvd-finder">
            {finder ? [finder.name || t('cvd.parties.anonymousFinder'), finder.email].filter(Boolean).join(' · ') : '—'}
          </Field>
          <Field label={t('cvd.fields.credit')} testId="cvd-credit">
            {credit}
          </Field>
          <Field label={t('cvd.fields.finderConsent')}>
            {[
              cvd.finderSharesIdentity ? t('cvd.report.sharesIdentity') : t('cvd.report.keepsIdentity'),
              cvd.finderSharesAttachments ? t('cvd.report.sharesAttachments') : t('cvd.report.keepsAttachments'),
            ].join(' ')}
          </Field>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

/** The report as a party reads it: without the finder, unless both agreed to be named. */
export function PartyReportPanel({ view }: { view: PartyView }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-report-title" data-testid="cvd-report">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-report-title">
          {t('cvd.report.title')}
        </Title>
        <ReportBody report={view} />
        {view.cveId ? <Field label={t('cvd.fields.cveId')}>{view.cveId}</Field> : null}
        {view.finder ? (
          <Field label={t('cvd.fields.finder')} testId="cvd-finder">
            {[view.finder.name, view.finder.email].filter(Boolean).join(' · ')}
          </Field>
        ) : null}
      </Stack>
    </Paper>
  );
}
