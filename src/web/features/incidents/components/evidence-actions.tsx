import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowsExchange, IconCircleCheck, IconCircleX, IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import type { Evidence } from '../api';
import { useHandOverEvidence, useVerifyEvidence } from '../mutations';

/** Re-hashes the stored file and says plainly whether it still matches the SHA-256 recorded on arrival. */
export function VerifyEvidence({ caseId, evidence }: { caseId: string; evidence: Evidence }) {
  const { t } = useTranslation();
  const verify = useVerifyEvidence(caseId);
  const result = verify.data;
  return (
    <Stack gap={4}>
      <Button
        size="compact-xs"
        variant="subtle"
        leftSection={<IconShieldCheck size={12} aria-hidden />}
        loading={verify.isPending}
        onClick={() => verify.mutate(evidence.id)}
        aria-label={t('incidents.evidence.verifyNamed', { name: evidence.fileName })}
      >
        {t('incidents.evidence.verify')}
      </Button>
      {result ? (
        <Alert
          color={result.matches ? 'green' : 'red'}
          variant="light"
          p={6}
          role="status"
          icon={result.matches ? <IconCircleCheck size={16} aria-hidden /> : <IconCircleX size={16} aria-hidden />}
          data-testid="verify-result"
          data-matches={String(result.matches)}
        >
          <Text size="xs" fw={600}>
            {result.matches ? t('incidents.evidence.matches') : t('incidents.evidence.noMatch')}
          </Text>
          {!result.matches ? (
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {result.sha256 ? t('incidents.evidence.nowHash', { sha256: result.sha256 }) : t('incidents.evidence.storedMissing')}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      <ErrorAlert error={verify.error} />
    </Stack>
  );
}

/** Records a hand-over of the evidence (to whom, why) in the chain of custody. */
export function HandOverEvidence({ caseId, evidence }: { caseId: string; evidence: Evidence }) {
  const { t } = useTranslation();
  const handOver = useHandOverEvidence(caseId);
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  if (!open) {
    return (
      <Button size="compact-xs" variant="subtle" leftSection={<IconArrowsExchange size={12} aria-hidden />} onClick={() => setOpen(true)}>
        {t('incidents.evidence.handOver')}
      </Button>
    );
  }
  const ready = to.trim().length > 0 && reason.trim().length >= 3;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    handOver.mutate(
      { evidenceId: evidence.id, to: to.trim(), reason: reason.trim() },
      {
        onSuccess: () => {
          setOpen(false);
          setTo('');
          setReason('');
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('incidents.evidence.handOverNamed', { name: evidence.fileName })} data-testid="handover-form">
      <Stack gap={4}>
        <TextInput
          size="xs"
          label={t('incidents.evidence.handOverTo')}
          name="to"
          maxLength={200}
          value={to}
          onChange={(event) => setTo(event.currentTarget.value)}
        />
        <TextInput
          size="xs"
          label={t('incidents.evidence.handOverReason')}
          name="reason"
          maxLength={2000}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <Group gap={4}>
          <Button type="submit" size="compact-xs" loading={handOver.isPending} disabled={!ready}>
            {t('incidents.evidence.handOverSubmit')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        </Group>
        <ErrorAlert error={handOver.error} />
      </Stack>
    </form>
  );
}
