import { useState, type FormEvent } from 'react';
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconFileSpreadsheet, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { custodyQuery, downloads, evidenceRequestsQuery } from '../api';
import { useCreateEvidenceRequest } from '../mutations';
import { ScrollX } from './scroll-x';

/** The chain of custody: every upload, download, hand-over and deletion step, oldest first (the CERT's). */
export function CustodyPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const custody = useQuery(custodyQuery(caseId));
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="custody-title" data-testid="custody-panel">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h6" id="custody-title">
            {t('incidents.custody.title')}
          </Title>
          <Anchor href={downloads.custodyCsv(caseId)} size="sm" download>
            <Group gap={4} component="span" wrap="nowrap">
              <IconFileSpreadsheet size={14} aria-hidden />
              {t('incidents.custody.csv')}
            </Group>
          </Anchor>
        </Group>
        <ErrorAlert error={custody.error} />
        <ScrollX label={t('incidents.custody.title')}>
          <Table verticalSpacing={4} data-testid="custody-table">
            <caption className="visually-hidden">{t('incidents.custody.title')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('incidents.custody.at')}</Table.Th>
                <Table.Th scope="col">{t('incidents.evidence.file')}</Table.Th>
                <Table.Th scope="col">{t('incidents.custody.action')}</Table.Th>
                <Table.Th scope="col">{t('incidents.custody.actor')}</Table.Th>
                <Table.Th scope="col">{t('incidents.custody.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(custody.data ?? []).map((step) => (
                <Table.Tr key={step.id} data-testid="custody-step" data-action={step.action}>
                  <Table.Td>
                    <DateTime value={step.at} />
                  </Table.Td>
                  <Table.Td>{step.fileName}</Table.Td>
                  <Table.Td>
                    {t(`incidents.custody.actions.${step.action}`)}
                    {step.action === 'handover' && typeof step.details.to === 'string' ? ` ${t('incidents.custody.handedTo', { to: step.details.to })}` : ''}
                  </Table.Td>
                  <Table.Td>{step.actor}</Table.Td>
                  <Table.Td>{step.reason || '—'}</Table.Td>
                </Table.Tr>
              ))}
              {custody.isSuccess && custody.data.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="sm" c="dimmed">
                      {t('incidents.custody.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </ScrollX>
      </Stack>
    </Paper>
  );
}

/** What the CERT asked the affected organisation to upload; the CERT adds requests, the room answers them by uploading. */
export function EvidenceRequestsPanel({ caseId, canAsk }: { caseId: string; canAsk: boolean }) {
  const { t } = useTranslation();
  const requests = useQuery(evidenceRequestsQuery(caseId));
  const create = useCreateEvidenceRequest(caseId);
  const [description, setDescription] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (description.trim().length < 3) return;
    create.mutate(description.trim(), { onSuccess: () => setDescription('') });
  };
  const list = requests.data ?? [];
  if (!canAsk && list.length === 0) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="evidence-requests-title" data-testid="evidence-requests">
      <Stack gap="xs">
        <Title order={3} size="h6" id="evidence-requests-title">
          {t('incidents.evidenceRequests.title')}
        </Title>
        <ErrorAlert error={requests.error} />
        {list.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('incidents.evidenceRequests.empty')}
          </Text>
        ) : (
          <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {list.map((r) => (
              <Group key={r.id} component="li" gap="xs" data-testid="evidence-request">
                <Badge size="xs" variant={r.fulfilledAt ? 'light' : 'outline'} color={r.fulfilledAt ? 'green' : 'orange'} component="span">
                  {r.fulfilledAt ? t('incidents.evidenceRequests.fulfilled') : t('incidents.evidenceRequests.open')}
                </Badge>
                <Text size="sm">{r.description}</Text>
                <Text size="xs" c="dimmed">
                  <DateTime value={r.requestedAt} />
                </Text>
              </Group>
            ))}
          </Stack>
        )}
        {!canAsk && list.some((r) => !r.fulfilledAt) ? (
          <Text size="xs" c="dimmed">
            {t('incidents.evidenceRequests.roomHelp')}
          </Text>
        ) : null}
        {canAsk ? (
          <form onSubmit={submit} noValidate>
            <Stack gap="xs">
              <Textarea
                label={t('incidents.evidenceRequests.ask')}
                name="description"
                autosize
                minRows={2}
                maxLength={2000}
                value={description}
                onChange={(event) => setDescription(event.currentTarget.value)}
              />
              <ErrorAlert error={create.error} />
              <Group>
                <Button
                  type="submit"
                  size="xs"
                  variant="light"
                  leftSection={<IconPlus size={14} aria-hidden />}
                  loading={create.isPending}
                  disabled={description.trim().length < 3}
                >
                  {t('incidents.evidenceRequests.askSubmit')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Paper>
  );
}
