import { useState, type FormEvent } from 'react';
import { Badge, Button, Group, NativeSelect, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconArrowRight, IconUserCheck, IconUserMinus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { useCurrentUser } from '../../auth/use-current-user';
import { NEXT_STATUSES, needsReason, STATUS_LIST, type CvdCase, type CvdStatus } from '../api';
import { usePatchCase } from '../mutations';
import { CvdStatusBadge } from './cvd-badges';

/** The status: only the moves the case may make are offered; rejecting, out of scope and reopening say why. */
function StatusForm({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const patch = usePatchCase(cvd.id);
  const [next, setNext] = useState<CvdStatus | ''>('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const reasonNeeded = next !== '' && needsReason(cvd.status, next);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!next) return;
    if (reasonNeeded && reason.trim().length < 3) return setMissing(true);
    setMissing(false);
    patch.mutate(
      { status: next, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      {
        onSuccess: () => {
          setNext('');
          setReason('');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('cvd.case.statusForm')} data-testid="cvd-status-form">
      <Stack gap="xs">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('cvd.fields.status')}
            </Text>
            <CvdStatusBadge status={cvd.status} />
          </div>
          <NativeSelect
            label={t('cvd.case.nextStatus')}
            name="status"
            value={next}
            onChange={(event) => setNext(optionalEnum(event.currentTarget.value, STATUS_LIST) ?? '')}
            data={[{ value: '', label: '—' }, ...NEXT_STATUSES[cvd.status].map((value) => ({ value, label: t(`cvd.status.${value}`) }))]}
          />
          <Button type="submit" variant="light" leftSection={<IconArrowRight size={16} aria-hidden />} disabled={!next} loading={patch.isPending}>
            {t('cvd.case.changeStatus')}
          </Button>
        </Group>
        {reasonNeeded ? (
          <Textarea
            label={t('cvd.case.reason')}
            description={t('cvd.case.reasonHelp')}
            name="reason"
            required
            autosize
            minRows={2}
            maxLength={2000}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={missing ? t('cvd.case.reasonMissing') : undefined}
          />
        ) : null}
        <ErrorAlert error={patch.error} />
      </Stack>
    </form>
  );
}

/** Who handles the case: the analyst takes it (or gives it back). */
function Assignee({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const patch = usePatchCase(cvd.id);
  const mine = cvd.assignee?.id === user.id;
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={500}>
          {t('cvd.fields.assignee')}:
        </Text>
        {cvd.assignee ? (
          <Badge variant="default" size="sm" component="span" data-testid="cvd-assignee">
            {cvd.assignee.name}
          </Badge>
        ) : (
          <Text size="sm" c="dimmed" data-testid="cvd-assignee">
            {t('cvd.case.unassigned')}
          </Text>
        )}
        <Button
          size="xs"
          variant="subtle"
          leftSection={mine ? <IconUserMinus size={14} aria-hidden /> : <IconUserCheck size={14} aria-hidden />}
          loading={patch.isPending}
          onClick={() => patch.mutate({ assigneeUserId: mine ? null : user.id })}
        >
          {mine ? t('cvd.case.unassignMe') : t('cvd.case.assignMe')}
        </Button>
      </Group>
      <ErrorAlert error={patch.error} />
    </Stack>
  );
}

/** The CERT's controls of a case: its status (with the reason where one is needed) and who handles it. */
export function CaseControls({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-label={t('cvd.case.controls')} data-testid="cvd-case-controls">
      <Stack gap="sm">
        <StatusForm cvd={cvd} />
        <Assignee cvd={cvd} />
      </Stack>
    </Paper>
  );
}
