import { Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { attendeesQuery } from '../api';

/** For the organiser: who has a seat, then the waiting list in order, then who declined. */
export function AttendeesPanel({ meetingId }: { meetingId: string }) {
  const { t } = useTranslation();
  const query = useQuery(attendeesQuery(meetingId));
  const rows = query.data?.items ?? [];
  return (
    <Stack gap="xs" mt="lg">
      <Title order={2} size="h4">
        {t('meetings.attendees.title')}
      </Title>
      <ErrorAlert error={query.error} />
      {query.data && rows.length === 0 ? <Text c="dimmed">{t('meetings.attendees.empty')}</Text> : null}
      {rows.length > 0 ? (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('meetings.attendees.name')}</Table.Th>
              <Table.Th>{t('meetings.attendees.organisation')}</Table.Th>
              <Table.Th>{t('meetings.attendees.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((a) => (
              <Table.Tr key={a.userId}>
                <Table.Td>
                  {a.name}{' '}
                  <Text span size="xs" c="dimmed">
                    {a.email}
                  </Text>
                </Table.Td>
                <Table.Td>{a.organisationName}</Table.Td>
                <Table.Td>{t(`meetings.rsvp.${a.status}`, { position: a.waitingPosition })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
