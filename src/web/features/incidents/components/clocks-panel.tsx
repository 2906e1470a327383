import { useState, type FormEvent } from 'react';
import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import type { ClockName, ClockTimes, IncidentCase } from '../api';
import { useSetClocks } from '../mutations';
import { ClockStateBadge } from './incident-badges';
import { isoToAmsterdamLocal, LocalTimeInput, localToIso } from './local-time-input';

/** Which field of PUT /clocks records that a clock was met. */
const FIELD: Record<ClockName, keyof ClockTimes> = {
  nis2_early_warning: 'earlyWarningAt',
  nis2_notification: 'notificationAt',
  nis2_final_report: 'finalReportAt',
  gdpr_breach: 'dpaNotifiedAt',
};

function RecordForm({ incident }: { incident: IncidentCase }) {
  const { t } = useTranslation();
  const setClocks = useSetClocks(incident.id);
  const [values, setValues] = useState<Partial<Record<ClockName, string>>>(() =>
    Object.fromEntries(incident.clocks.map((c) => [c.clock, c.metAt ? isoToAmsterdamLocal(c.metAt) : ''])),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: ClockTimes = {};
    for (const clock of incident.clocks) body[FIELD[clock.clock]] = localToIso(values[clock.clock] ?? '') ?? null;
    setClocks.mutate(body, { onSuccess: () => notifications.show({ color: 'green', message: t('incidents.clocks.saved') }) });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="clocks-form">
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          {t('incidents.clocks.recordTitle')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('incidents.clocks.recordHelp')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {incident.clocks.map((clock) => (
            <LocalTimeInput
              key={clock.clock}
              label={t(`incidents.clocks.made.${clock.clock}`)}
              name={FIELD[clock.clock]}
              value={values[clock.clock] ?? ''}
              onChange={(value) => setValues((prev) => ({ ...prev, [clock.clock]: value }))}
            />
          ))}
        </SimpleGrid>
        <ErrorAlert error={setClocks.error} />
        <Group>
          <Button type="submit" size="xs" variant="light" leftSection={<IconDeviceFloppy size={14} aria-hidden />} loading={setClocks.isPending}>
            {t('incidents.clocks.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The NIS2 and GDPR deadlines of the case: when each is due (Dutch time) and whether it is met,
 * open, due soon or overdue — in words as well as colour. Those in the room record what they sent.
 */
export function ClocksPanel({ incident, canRecord }: { incident: IncidentCase; canRecord: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="clocks-title" data-testid="clocks-panel">
      <Stack gap="sm">
        <Title order={2} size="h5" id="clocks-title">
          {t('incidents.clocks.title')}
        </Title>
        {incident.clocks.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="clocks-none">
            {t('incidents.clocks.none')}
          </Text>
        ) : (
          <Table verticalSpacing={6} data-testid="clocks-table">
            <caption className="visually-hidden">{t('incidents.clocks.title')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('incidents.clocks.clock')}</Table.Th>
                <Table.Th scope="col">{t('incidents.clocks.due')}</Table.Th>
                <Table.Th scope="col">{t('incidents.clocks.stateLabel')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incident.clocks.map((clock) => (
                <Table.Tr key={clock.clock} data-testid="clock-row" data-clock={clock.clock}>
                  <Table.Td>{t(`incidents.clocks.names.${clock.clock}`)}</Table.Td>
                  <Table.Td>{clock.dueAt ? <DateTime value={clock.dueAt} /> : t('incidents.clocks.dueAfterNotification')}</Table.Td>
                  <Table.Td>
                    <ClockStateBadge state={clock.state} />
                    {clock.metAt ? (
                      <Text size="xs" c="dimmed" mt={2} data-testid="clock-met-at">
                        {t('incidents.clocks.metAt')} <DateTime value={clock.metAt} />
                      </Text>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {incident.clocks.length > 0 ? (
          <Text size="xs" c="dimmed">
            {t('incidents.clocks.timeZone')}
          </Text>
        ) : null}
        {canRecord && incident.clocks.length > 0 && !incident.mergedIntoId ? (
          // A refetched case (someone recorded a time) refills the form.
          <RecordForm key={incident.clocks.map((c) => `${c.clock}:${c.metAt ?? ''}`).join('|')} incident={incident} />
        ) : null}
      </Stack>
    </Paper>
  );
}
