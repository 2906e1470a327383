import { Badge, Box, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { deliveriesQuery, distributionApi, distributionKeys, isInFlight, type DeliveryProblem } from '../api';
import { DeliveryCard } from './delivery-card';
import { QueueStatusBadge } from './queue-status-badge';

function ProblemsTable({ problems }: { problems: DeliveryProblem[] }) {
  const { t } = useTranslation();
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table striped data-testid="delivery-problems">
        <caption className="visually-hidden">{t('distribution.deliveries.problems')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('distribution.deliveries.recipient')}</Table.Th>
            <Table.Th scope="col">{t('distribution.audience.organisation')}</Table.Th>
            <Table.Th scope="col">{t('distribution.deliveries.status')}</Table.Th>
            <Table.Th scope="col">{t('distribution.deliveries.attempts')}</Table.Th>
            <Table.Th scope="col">{t('distribution.deliveries.error')}</Table.Th>
            <Table.Th scope="col">{t('distribution.deliveries.nextAttempt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((problem, index) => (
            <Table.Tr key={`${problem.kind}-${problem.recipient ?? index}`}>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                {problem.recipient ?? '—'}
                {problem.kind === 'webhook' ? (
                  <Text size="xs" c="dimmed">
                    {t('distribution.deliveries.webhook')}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{problem.organisationName ?? '—'}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <QueueStatusBadge status={problem.status} />
                  {problem.permanent ? (
                    <Badge size="sm" variant="outline" color="red" component="span">
                      {t('distribution.deliveries.permanent')}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>{problem.attempts}</Table.Td>
              <Table.Td>
                <Text size="xs">{problem.error ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <DateTime value={problem.nextAttemptAt} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

/**
 * The queue state of every published revision, for CERT staff: the page refreshes it every few
 * seconds while mail is still on its way, and an approver can make waiting retries go now.
 */
export function DeliveryPanel({ productId, canRetry }: { productId: string; canRetry: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(deliveriesQuery(productId));
  const retry = useMutation({
    mutationFn: () => distributionApi.retry(productId),
    onSuccess: async (result) => {
      notifications.show({ color: 'green', message: t('distribution.deliveries.retried', { count: result.retried }) });
      await queryClient.invalidateQueries({ queryKey: distributionKeys.deliveries(productId) });
    },
  });
  const state = query.data;
  const waiting = state ? state.deliveries.some(isInFlight) : false;

  return (
    <Box component="section" aria-labelledby="deliveries-title" mb="lg" data-testid="delivery-panel">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="deliveries-title">
          {t('distribution.deliveries.title')}
        </Title>
        {canRetry && waiting ? (
          <Button size="xs" variant="default" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => retry.mutate()} loading={retry.isPending}>
            {t('distribution.deliveries.retryNow')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={query.error ?? retry.error} />
      {query.isPending ? <Text size="sm">{t('common.loading')}</Text> : null}
      {state && state.deliveries.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('distribution.deliveries.none')}
        </Text>
      ) : null}
      {state ? (
        <Stack gap="sm">
          {state.deliveries.map((delivery) => (
            <DeliveryCard key={delivery.id} delivery={delivery} />
          ))}
          {state.problems.length > 0 ? (
            <Box>
              <Title order={3} size="h5" mb={4}>
                {t('distribution.deliveries.problemsOf', { n: state.deliveries[0]?.revision ?? 1 })}
              </Title>
              <ProblemsTable problems={state.problems} />
            </Box>
          ) : null}
        </Stack>
      ) : null}
    </Box>
  );
}
