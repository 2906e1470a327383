import { useState, type ReactNode } from 'react';
import { Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { IMPACT_LIST, PERSONAL_DATA_LIST, type IncidentCase } from '../api';
import { usePatchCase } from '../mutations';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={220} fw={500}>
        {label}
      </Table.Th>
      <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{children}</Table.Td>
    </Table.Tr>
  );
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const oneOf = <T extends string>(value: unknown, list: readonly T[]): T | undefined => list.find((item) => item === value);

/** What was reported and by whom: the guided form's answers, or the CERT's own description. */
export function CaseReport({ incident }: { incident: IncidentCase }) {
  const { t } = useTranslation();
  const report = incident.report;
  const impact = oneOf(report.patientCareImpact, IMPACT_LIST);
  const personal = oneOf(report.personalData, PERSONAL_DATA_LIST);
  const contact = [incident.reporter.name, incident.reporter.phone, incident.reporter.email].filter(Boolean).join(' · ');
  return (
    <Paper withBorder mb="md" component="section" aria-labelledby="case-report-title" data-testid="case-report">
      <Title order={2} size="h5" id="case-report-title" p="sm" pb={0}>
        {t('incidents.case.reportTitle')}
      </Title>
      <Table verticalSpacing={6}>
        <caption className="visually-hidden">{t('incidents.case.reportTitle')}</caption>
        <Table.Tbody>
          <Row label={t('incidents.fields.description')}>{incident.description || '—'}</Row>
          <Row label={t('incidents.fields.intake')}>{t(`incidents.intake.${incident.intake}`)}</Row>
          <Row label={t('incidents.fields.organisations')}>{incident.organisations.join(', ')}</Row>
          {text(report.startedAt) ? (
            <Row label={t('incidents.report.startedAt')}>
              <DateTime value={text(report.startedAt)} />
            </Row>
          ) : null}
          <Row label={t('incidents.fields.awareAt')}>
            <DateTime value={incident.awareAt} />
          </Row>
          {text(report.systems) ? <Row label={t('incidents.report.systems')}>{text(report.systems)}</Row> : null}
          {impact ? (
            <Row label={t('incidents.report.impact')}>
              {t(`incidents.impact.${impact}`)}
              {text(report.patientCareDetails) ? ` — ${text(report.patientCareDetails)}` : ''}
            </Row>
          ) : null}
          {personal ? <Row label={t('incidents.report.personalData')}>{t(`incidents.personalDataAnswer.${personal}`)}</Row> : null}
          <Row label={t('incidents.case.contact')}>{contact || '—'}</Row>
          <Row label={t('incidents.fields.opened')}>
            <DateTime value={incident.openedAt} />
          </Row>
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** The CERT's advice to the affected organisation: edited here by the CERT, read in the room. */
export function AdvicePanel({ incident, editable }: { incident: IncidentCase; editable: boolean }) {
  const { t } = useTranslation();
  const patch = usePatchCase(incident.id);
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? incident.advice;
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="case-advice-title" data-testid="advice-panel">
      <Stack gap="xs">
        <Title order={2} size="h5" id="case-advice-title">
          {t('incidents.case.advice')}
        </Title>
        {editable ? (
          <>
            <Textarea
              label={t('incidents.case.adviceLabel')}
              description={t('incidents.case.adviceHelp')}
              name="advice"
              autosize
              minRows={3}
              maxRows={14}
              maxLength={20000}
              value={value}
              onChange={(event) => setDraft(event.currentTarget.value)}
            />
            <ErrorAlert error={patch.error} />
            <Group>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconDeviceFloppy size={14} aria-hidden />}
                disabled={draft === null || draft === incident.advice}
                loading={patch.isPending}
                onClick={() =>
                  patch.mutate(
                    { advice: value },
                    {
                      onSuccess: () => {
                        setDraft(null);
                        notifications.show({ color: 'green', message: t('common.saved') });
                      },
                    },
                  )
                }
              >
                {t('incidents.case.saveAdvice')}
              </Button>
            </Group>
          </>
        ) : (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="advice-text">
            {incident.advice || t('incidents.case.noAdvice')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
