import { useMemo, useState, type FormEvent } from 'react';
import { Badge, Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { ErrorAlert, errorText } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { intlLocale } from '../../../lib/format';
import { calendarQuery, useSetCalendarDay, type WorkingCalendar } from '../api';
import { MonitoringSections } from '../components/monitoring-sections';

type CalendarDay = WorkingCalendar['days'][number];
const col = columnHelper<CalendarDay>();
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// The server's reasons for an override without a note (working-days.ts), translated here.
const DEFAULT_REASONS: Record<string, 'monitoring.calendar.defaultWorking' | 'monitoring.calendar.defaultOff'> = {
  'Working day set by the CERT': 'monitoring.calendar.defaultWorking',
  'Day off set by the CERT': 'monitoring.calendar.defaultOff',
};

function thisYear(): number {
  return new Date().getFullYear();
}

/** "Monday 27 April 2026", in the interface's language (the day is a calendar day: no time zone). */
function useDayLabel(): (day: string) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(intlLocale(i18n.language), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    return (day: string) => format.format(new Date(`${day}T00:00:00Z`));
  }, [i18n.language]);
}

function RemoveOverride({ day }: { day: CalendarDay }) {
  const { t } = useTranslation();
  const dayLabel = useDayLabel();
  const setDay = useSetCalendarDay();
  if (!day.overridden) return <>—</>;
  return (
    <Button
      size="xs"
      variant="subtle"
      color="red"
      leftSection={<IconTrash size={14} aria-hidden />}
      loading={setDay.isPending}
      aria-label={t('monitoring.calendar.removeDay', { day: dayLabel(day.day) })}
      onClick={() =>
        setDay.mutate(
          { day: day.day, working: null },
          {
            onSuccess: () => notifications.show({ color: 'green', message: t('monitoring.calendar.removed', { day: dayLabel(day.day) }) }),
            onError: (error) => notifications.show({ color: 'red', message: errorText(error, t) }),
          },
        )
      }
      data-testid="calendar-remove"
    >
      {t('monitoring.calendar.remove')}
    </Button>
  );
}

/** Make a day a day off or a working day, with a note the calendar shows as its reason. */
function SetDayForm({ onSaved }: { onSaved: (year: number) => void }) {
  const { t } = useTranslation();
  const dayLabel = useDayLabel();
  const setDay = useSetCalendarDay();
  const [day, setDayValue] = useState('');
  const [working, setWorking] = useState<'off' | 'working'>('off');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDay.reset();
    if (!DAY.test(day)) return setProblem(t('monitoring.calendar.dayMissing'));
    setProblem(null);
    setDay.mutate(
      { day, working: working === 'working', note: note.trim() },
      {
        onSuccess: (calendar) => {
          notifications.show({
            color: 'green',
            message: t(working === 'working' ? 'monitoring.calendar.savedWorking' : 'monitoring.calendar.savedOff', { day: dayLabel(day) }),
          });
          setDayValue('');
          setNote('');
          onSaved(calendar.year);
        },
      },
    );
  };

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="set-day-title" data-testid="calendar-form">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h5" id="set-day-title">
            {t('monitoring.calendar.formTitle')}
          </Title>
          <Group gap="sm" align="flex-start" wrap="wrap">
            <TextInput
              type="date"
              label={t('monitoring.calendar.day')}
              value={day}
              onChange={(event) => {
                setDayValue(event.currentTarget.value);
                setProblem(null);
              }}
              error={problem ?? undefined}
              required
              w={200}
            />
            <NativeSelect
              label={t('monitoring.calendar.make')}
              value={working}
              onChange={(event) => setWorking(event.currentTarget.value === 'working' ? 'working' : 'off')}
              data={[
                { value: 'off', label: t('monitoring.calendar.dayOff') },
                { value: 'working', label: t('monitoring.calendar.workingDay') },
              ]}
              w={180}
            />
            <TextInput
              label={t('monitoring.calendar.note')}
              description={t('monitoring.calendar.noteHelp')}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              maxLength={200}
              w={340}
            />
          </Group>
          <Group gap="xs">
            <Button type="submit" leftSection={<IconCalendarPlus size={16} aria-hidden />} loading={setDay.isPending} data-testid="calendar-save">
              {t('monitoring.calendar.save')}
            </Button>
          </Group>
          <ErrorAlert error={setDay.error} />
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * The working days of the CERT: the checks and the digest run on working days only. Lists a year's
 * days off (public holidays and the CERT's own) and the working days the CERT set; weekends are implied.
 */
export function CalendarPage() {
  const { t } = useTranslation();
  const dayLabel = useDayLabel();
  const [year, setYear] = useState(thisYear);
  const query = useQuery(calendarQuery(year));
  const years = useMemo(() => {
    const now = thisYear();
    return [now - 1, now, now + 1, now + 2].map(String);
  }, []);

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('day', {
          header: () => t('monitoring.calendar.day'),
          cell: (info) => (
            <time dateTime={info.getValue()} data-testid="calendar-day">
              {dayLabel(info.getValue())}
            </time>
          ),
        }),
        col.accessor('working', {
          header: () => t('monitoring.calendar.kind'),
          cell: (info) => (
            <Badge color={info.getValue() ? 'green' : 'gray'} variant="light" size="sm" component="span" data-testid="calendar-working" data-working={info.getValue()}>
              {info.getValue() ? t('monitoring.calendar.workingDay') : t('monitoring.calendar.dayOff')}
            </Badge>
          ),
        }),
        col.accessor('reason', {
          header: () => t('monitoring.calendar.reason'),
          cell: (info) => {
            const key = DEFAULT_REASONS[info.getValue()];
            return (
              <Text size="sm" data-testid="calendar-reason">
                {info.row.original.overridden && key ? t(key) : info.getValue()}
              </Text>
            );
          },
        }),
        col.accessor('overridden', {
          header: () => t('monitoring.calendar.setBy'),
          cell: (info) => (info.getValue() ? t('monitoring.calendar.byCert') : t('monitoring.calendar.publicHoliday')),
        }),
        col.display({ id: 'remove', header: () => t('monitoring.calendar.override'), cell: (info) => <RemoveOverride day={info.row.original} /> }),
      ]),
    [t, dayLabel],
  );

  return (
    <>
      <PageHeader title={t('monitoring.calendar.title')} description={t('monitoring.calendar.intro')} />
      <MonitoringSections current="calendar" />
      <SetDayForm onSaved={setYear} />
      <Group mb="sm" align="flex-end">
        <NativeSelect
          label={t('monitoring.calendar.year')}
          value={String(year)}
          onChange={(event) => setYear(Number(event.currentTarget.value))}
          data={years.includes(String(year)) ? years : [...years, String(year)].sort()}
          w={140}
          data-testid="calendar-year"
        />
      </Group>
      <ErrorAlert error={query.error} />
      <DataTable
        data={query.data?.days ?? NO_ROWS}
        columns={columns}
        caption={t('monitoring.calendar.caption', { year })}
        getRowId={(row) => row.day}
        loading={query.isPending}
        emptyText={t('monitoring.calendar.empty')}
        testId="calendar-table"
      />
    </>
  );
}
