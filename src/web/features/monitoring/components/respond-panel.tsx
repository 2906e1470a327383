import { useState } from 'react';
import { Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconEye, IconRotateClockwise, IconShieldCheck, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { RESPONSES, useChangeStatus, type FindingDetail, type FindingStatus } from '../api';

const ACTIONS: Record<FindingStatus, { label: 'acknowledge' | 'resolve' | 'acceptRisk' | 'reopen'; icon: Icon } | undefined> = {
  acknowledged: { label: 'acknowledge', icon: IconEye },
  resolved: { label: 'resolve', icon: IconCircleCheck },
  accepted_risk: { label: 'acceptRisk', icon: IconShieldCheck },
  new: { label: 'reopen', icon: IconRotateClockwise },
  notified: undefined,
};

/**
 * The participant's answer to a finding: acknowledge it, mark it resolved (the source looks again
 * where it can) or accept the risk with a reason. The CERT may also set it back to new.
 */
export function RespondPanel({ finding, canReopen }: { finding: FindingDetail; canReopen: boolean }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const change = useChangeStatus(finding.id);
  const statuses: FindingStatus[] = [...RESPONSES, ...(canReopen ? (['new'] as const) : [])];

  const submit = (status: FindingStatus) => {
    const trimmed = note.trim();
    if (status === 'accepted_risk' && !trimmed) {
      setNoteError(t('monitoring.respond.noteRequired'));
      return;
    }
    setNoteError(null);
    change.mutate(
      { status, note: trimmed || undefined },
      {
        onSuccess: (updated) => {
          setNote('');
          notifications.show({
            color: 'green',
            message:
              status === 'resolved' && updated.recheckPending
                ? t('monitoring.respond.savedRecheck')
                : t('monitoring.respond.saved', { status: t(`monitoring.status.${status}`) }),
          });
        },
      },
    );
  };

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="respond-title" data-testid="respond-panel">
      <Stack gap="xs">
        <Title order={2} size="h5" id="respond-title">
          {t('monitoring.respond.title')}
        </Title>
        <Text size="sm">{t('monitoring.respond.explain')}</Text>
        <Textarea
          label={t('monitoring.respond.note')}
          description={t('monitoring.respond.noteHelp')}
          name="note"
          autosize
          minRows={2}
          maxRows={8}
          maxLength={2000}
          value={note}
          error={noteError}
          onChange={(event) => {
            setNote(event.currentTarget.value);
            if (noteError && event.currentTarget.value.trim()) setNoteError(null);
          }}
        />
        <Group gap="xs">
          {statuses.map((status) => {
            const action = ACTIONS[status];
            if (!action) return null;
            const ActionIcon = action.icon;
            const current = finding.status === status;
            return (
              <Button
                key={status}
                variant={status === 'resolved' ? 'filled' : 'default'}
                leftSection={<ActionIcon size={16} aria-hidden />}
                onClick={() => submit(status)}
                loading={change.isPending && change.variables?.status === status}
                disabled={current || change.isPending}
                title={current ? t('monitoring.respond.current') : undefined}
                data-testid={`respond-${status}`}
              >
                {t(`monitoring.respond.${action.label}`)}
              </Button>
            );
          })}
        </Group>
        {finding.status !== 'resolved' ? (
          <Text size="xs" c="dimmed" data-testid="recheck-note">
            {finding.recheckable ? t('monitoring.respond.recheckFollows') : t('monitoring.respond.noRecheck')}
          </Text>
        ) : null}
        <ErrorAlert error={change.error} />
      </Stack>
    </Paper>
  );
}
