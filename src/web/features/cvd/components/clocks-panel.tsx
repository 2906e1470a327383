import { useState, type FormEvent } from 'react';
import { Button, Group, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarEvent } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import type { CvdCase } from '../api';
import { usePatchCase } from '../mutations';
import { DisclosureBadge, FirstResponseBadge } from './cvd-badges';

/** A new target disclosure date: the parties are held to it, so the change says why. */
function DateForm({ cvd, onDone }: { cvd: CvdCase; onDone: () => void }) {
  const { t } = useTranslation();
  const patch = usePatchCase(cvd.id);
  const [day, setDay] = useState(cvd.disclosure.due);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<'day' | 'reason' | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return setProblem('day');
    if (reason.trim().length < 3) return setProblem('reason');
    setProblem(null);
    patch.mutate(
      { disclosureDue: day, reason: reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('cvd.clocks.dateChanged') });
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('cvd.clocks.changeDate')} data-testid="cvd-date-form">
      <Stack gap="xs">
        <TextInput
          type="date"
          label={t('cvd.clocks.newDate')}
          name="disclosureDue"
          required
          value={day}
          onChange={(event) => setDay(event.currentTarget.value)}
          error={problem === 'day' ? t('cvd.clocks.dateMissing') : undefined}
          w={200}
        />
        <Textarea
          label={t('cvd.case.reason')}
          description={t('cvd.clocks.reasonHelp')}
          name="reason"
          required
          autosize
          minRows={2}
          maxLength={2000}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={problem === 'reason' ? t('cvd.case.reasonMissing') : undefined}
        />
        <ErrorAlert error={patch.error} />
        <Group gap="xs">
          <Button type="submit" size="xs" loading={patch.isPending}>
            {t('cvd.clocks.saveDate')}
          </Button>
          <Button size="xs" variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The case's two clocks: the first answer to the finder (five Dutch working days) and the target
 * disclosure date (the embargo the parties work to), each with its state in words as well as colour.
 */
export function ClocksPanel({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const [changing, setChanging] = useState(false);
  const fr = cvd.firstResponse;
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-clocks-title" data-testid="cvd-clocks">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-clocks-title">
          {t('cvd.clocks.title')}
        </Title>
        <Table verticalSpacing={6}>
          <caption className="visually-hidden">{t('cvd.clocks.title')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('cvd.clocks.clock')}</Table.Th>
              <Table.Th scope="col">{t('cvd.clocks.due')}</Table.Th>
              <Table.Th scope="col">{t('cvd.clocks.state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr data-testid="cvd-clock-first-response">
              <Table.Th scope="row" fw={400}>
                {t('cvd.clocks.firstResponse')}
              </Table.Th>
              <Table.Td>
                <DateTime value={fr.due} />
              </Table.Td>
              <Table.Td>
                <FirstResponseBadge clock={fr} />
                {fr.metAt ? (
                  <Text size="xs" c="dimmed" mt={2}>
                    {t('cvd.clocks.answeredAt')} <DateTime value={fr.metAt} />
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
            <Table.Tr data-testid="cvd-clock-disclosure">
              <Table.Th scope="row" fw={400}>
                {t('cvd.clocks.disclosure')}
              </Table.Th>
              <Table.Td data-testid="cvd-disclosure-due">
                <DateTime value={cvd.disclosure.due} dateOnly />
              </Table.Td>
              <Table.Td>
                <DisclosureBadge clock={cvd.disclosure} />
                {cvd.disclosure.disclosedAt ? (
                  <Text size="xs" c="dimmed" mt={2}>
                    {t('cvd.clocks.disclosedAt')} <DateTime value={cvd.disclosure.disclosedAt} />
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('cvd.clocks.timeZone')}
        </Text>
        {changing ? (
          <DateForm cvd={cvd} onDone={() => setChanging(false)} />
        ) : (
          <Group>
            <Button size="xs" variant="light" leftSection={<IconCalendarEvent size={14} aria-hidden />} onClick={() => setChanging(true)} data-testid="cvd-change-date">
              {t('cvd.clocks.changeDate')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
