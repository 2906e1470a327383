import { useState } from 'react';
import { Button, Checkbox, Collapse, Group, Paper, SegmentedControl, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor, RouterButton } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { REQUEST_STATUSES, requestsQuery, type RequestFilters, type RequestStatus } from '../api';
import { AskForm } from '../components/ask-form';
import { HeldMail } from '../components/held-mail';
import { SlaBadge, StatusBadge } from '../components/request-badges';
import { useRequestsLive } from '../use-requests-live';

/**
 * "Questions": a participant sees their organisation's requests and asks a new one; the CERT sees
 * the queue with its filters (status, overdue, mine, held) and the mail held for review.
 */
export function RequestsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const isCert = can(user.role, 'requests:answer');
  const mayAsk = can(user.role, 'requests:ask') && user.organisationKind === 'participant';
  const [filters, setFilters] = useState<RequestFilters>({});
  const [asking, setAsking] = useState(false);
  const query = useQuery(requestsQuery(filters));
  useRequestsLive();
  const rows = query.data ?? [];

  return (
    <>
      <PageHeader
        title={t('requests.title')}
        description={isCert ? t('requests.introCert') : t('requests.introParticipant')}
        actions={
          <Group>
            <RouterButton to="/knowledge" variant="default">
              {t('requests.knowledge.title')}
            </RouterButton>
            <RouterButton to="/chat" variant="default">
              {t('nav.chat')}
            </RouterButton>
            {mayAsk ? <Button onClick={() => setAsking((v) => !v)}>{t('requests.ask.title')}</Button> : null}
          </Group>
        }
      />
      {mayAsk ? (
        <Collapse in={asking}>
          <Paper withBorder p="md" mb="lg">
            <AskForm onDone={() => setAsking(false)} />
          </Paper>
        </Collapse>
      ) : null}
      {isCert ? <HeldMail /> : null}
      <Group mb="sm" align="flex-end">
        <SegmentedControl
          aria-label={t('requests.filters.status')}
          value={filters.status ?? 'all'}
          onChange={(v) => setFilters({ ...filters, status: v === 'all' ? undefined : (v as RequestStatus) })}
          data={[{ value: 'all', label: t('requests.filters.all') }, ...REQUEST_STATUSES.map((s) => ({ value: s, label: t(`requests.status.${s}`) }))]}
        />
        <Checkbox
          label={t('requests.filters.overdue')}
          checked={!!filters.overdue}
          onChange={(e) => setFilters({ ...filters, overdue: e.currentTarget.checked || undefined })}
        />
        {isCert ? (
          <>
            <Checkbox
              label={t('requests.filters.mine')}
              checked={!!filters.mine}
              onChange={(e) => setFilters({ ...filters, mine: e.currentTarget.checked || undefined })}
            />
            <Checkbox
              label={t('requests.filters.held')}
              checked={!!filters.held}
              onChange={(e) => setFilters({ ...filters, held: e.currentTarget.checked || undefined })}
            />
          </>
        ) : null}
        <TextInput
          aria-label={t('requests.filters.search')}
          placeholder={t('requests.filters.search')}
          value={filters.q ?? ''}
          onChange={(e) => setFilters({ ...filters, q: e.currentTarget.value || undefined })}
        />
      </Group>
      <ErrorAlert error={query.error} />
      <Table.ScrollContainer minWidth={700}>
        <Table striped highlightOnHover>
          <caption className="visually-hidden">{t('requests.title')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('requests.fields.reference')}</Table.Th>
              <Table.Th>{t('requests.fields.subject')}</Table.Th>
              {isCert ? <Table.Th>{t('requests.fields.organisation')}</Table.Th> : null}
              <Table.Th>{t('requests.fields.topic')}</Table.Th>
              <Table.Th>{t('requests.fields.status')}</Table.Th>
              <Table.Th>{t('requests.fields.due')}</Table.Th>
              <Table.Th>{t('requests.fields.assignee')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <RouterAnchor to="/requests/$id" params={{ id: r.id }}>
                    {r.reference}
                  </RouterAnchor>
                </Table.Td>
                <Table.Td>
                  {r.subject}
                  {r.heldCount ? (
                    <Text size="xs" c="orange">
                      {t('requests.heldCount', { count: r.heldCount })}
                    </Text>
                  ) : null}
                </Table.Td>
                {isCert ? <Table.Td>{r.organisationName}</Table.Td> : null}
                <Table.Td>{r.topic}</Table.Td>
                <Table.Td>
                  <StatusBadge status={r.status} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <SlaBadge sla={r.sla} />
                    <Text size="xs">
                      <DateTime value={r.sla.due} />
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td>{r.assignee?.name ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!query.isPending && rows.length === 0 ? (
        <Text c="dimmed" mt="sm">
          {t('requests.empty')}
        </Text>
      ) : null}
    </>
  );
}
