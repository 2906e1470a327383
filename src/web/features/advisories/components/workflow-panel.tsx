import { useState } from 'react';
import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCheck, IconSend, IconSpeakerphone, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import type { CurrentUser } from '../../auth/api';
import { can } from '../../auth/permissions';
import { AudiencePanel } from '../../distribution/components/audience-panel';
import { advisoriesApi, advisoryKeys, type Draft, type Product } from '../api';
import { csafFailuresOf, isFourEyesRefusal } from '../errors';
import { StatusBadge } from './advisory-badges';
import { CsafFailures } from './csaf-failures';
import { TextDialog } from './text-dialog';

type Dialog = 'submit' | 'reject' | 'withdraw' | null;

interface WorkflowPanelProps {
  product: Product;
  draft: Draft;
  user: CurrentUser;
  /** In the editor: the form has changes that are not saved yet, so the draft cannot be submitted. */
  unsavedChanges?: boolean;
}

/**
 * Review and publication for editors: the status, the approvals so far and the steps the status
 * allows. The four-eyes rule is the server's; the panel only explains it and shows the refusal.
 */
export function WorkflowPanel({ product, draft, user, unsavedChanges = false }: WorkflowPanelProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const canWrite = can(user.role, 'advisories:write');
  const canApprove = can(user.role, 'advisories:approve');
  const isAuthor = draft.authorId === user.id;
  const approvedByMe = draft.approvals.some((approval) => approval.userId === user.id);
  const everPublished = product.published !== null;

  const refresh = () => queryClient.invalidateQueries({ queryKey: advisoryKeys.all });
  const done = async (message: string) => {
    setDialog(null);
    notifications.show({ color: 'green', message });
    await refresh();
  };

  const submit = useMutation({
    mutationFn: (changeSummary: string) => advisoriesApi.submit(product.id, changeSummary || undefined),
    onSuccess: () => done(t('advisories.workflow.submitted')),
  });
  const approve = useMutation({
    mutationFn: () => advisoriesApi.approve(product.id),
    onSuccess: (result) => done(t('advisories.workflow.approvedCount', { count: result.approvals, required: result.required })),
  });
  const reject = useMutation({
    mutationFn: (reason: string) => advisoriesApi.reject(product.id, reason),
    onSuccess: () => done(t('advisories.workflow.rejected')),
  });
  const publish = useMutation({
    mutationFn: () => advisoriesApi.publish(product.id),
    onSuccess: (result) => done(t('advisories.workflow.published', { identifier: result.identifier, revision: result.revision })),
  });
  const withdraw = useMutation({
    mutationFn: (reason: string) => advisoriesApi.withdraw(product.id, reason),
    onSuccess: () => done(t('advisories.workflow.withdrawn')),
  });

  const busy = submit.isPending || approve.isPending || reject.isPending || publish.isPending || withdraw.isPending;
  const status = product.status;
  const inReview = status === 'in_review';
  const approved = status === 'approved';
  const canWithdraw = canApprove && everPublished && status !== 'withdrawn' && product.withdrawn === null;
  const publishFailures = csafFailuresOf(publish.error);

  const openDialog = (next: Dialog) => {
    submit.reset();
    reject.reset();
    withdraw.reset();
    setDialog(next);
  };

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="workflow-title" data-testid="workflow-panel">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="sm">
            <Title order={2} size="h5" id="workflow-title">
              {t('advisories.workflow.title')}
            </Title>
            <StatusBadge status={status} />
            <Text size="sm" c="dimmed">
              {t('advisories.workflow.version', { version: draft.version })}
            </Text>
          </Group>
          <Group gap="xs">
            {canWrite && status === 'draft' ? (
              <Button size="xs" leftSection={<IconSend size={14} aria-hidden />} onClick={() => openDialog('submit')} disabled={busy || unsavedChanges}>
                {t('advisories.workflow.submit')}
              </Button>
            ) : null}
            {canApprove && inReview ? (
              <Button
                size="xs"
                leftSection={<IconCheck size={14} aria-hidden />}
                onClick={() => approve.mutate()}
                loading={approve.isPending}
                disabled={busy || approvedByMe}
              >
                {t('advisories.workflow.approve')}
              </Button>
            ) : null}
            {canApprove && approved ? (
              <ConfirmButton
                size="xs"
                leftSection={<IconSpeakerphone size={14} aria-hidden />}
                message={t('advisories.workflow.publishConfirm')}
                confirmLabel={t('advisories.workflow.publishNow')}
                onConfirm={() => publish.mutate()}
                loading={publish.isPending}
                disabled={busy}
              >
                {t('advisories.workflow.publish')}
              </ConfirmButton>
            ) : null}
            {canApprove && (inReview || approved) ? (
              <Button size="xs" variant="default" leftSection={<IconArrowBackUp size={14} aria-hidden />} onClick={() => openDialog('reject')} disabled={busy}>
                {t('advisories.workflow.reject')}
              </Button>
            ) : null}
            {canWithdraw ? (
              <Button
                size="xs"
                variant="outline"
                color="red"
                leftSection={<IconTrash size={14} aria-hidden />}
                onClick={() => openDialog('withdraw')}
                disabled={busy}
              >
                {t('advisories.workflow.withdraw')}
              </Button>
            ) : null}
          </Group>
        </Group>

        {inReview || approved ? (
          <Group gap="xs" align="flex-start">
            <Text size="sm" data-testid="approvals-count">
              {t('advisories.workflow.approvals', { count: draft.approvals.length, required: draft.approvalsRequired })}
            </Text>
            {draft.approvals.length > 0 ? (
              <List size="sm">
                {draft.approvals.map((approval) => (
                  <List.Item key={approval.userId}>
                    {approval.name ?? approval.userId} · <DateTime value={approval.at} />
                  </List.Item>
                ))}
              </List>
            ) : null}
          </Group>
        ) : null}
        {/* Before publication only: afterwards the page shows what each revision actually reached. */}
        {can(user.role, 'distribution:read') && (status === 'draft' || inReview || approved) ? (
          <AudiencePanel productId={product.id} unsavedChanges={unsavedChanges} />
        ) : null}
        {draft.changeSummary && (inReview || approved) ? (
          <Text size="sm">
            <Text span fw={600}>
              {t('advisories.workflow.changeSummary')}:
            </Text>{' '}
            {draft.changeSummary}
          </Text>
        ) : null}
        {canWrite && status === 'draft' && unsavedChanges ? (
          <Text size="sm" c="dimmed">
            {t('advisories.workflow.saveFirst')}
          </Text>
        ) : null}
        {canApprove && inReview && isAuthor ? (
          <Text size="sm" c="dimmed">
            {t('advisories.workflow.fourEyesHint')}
          </Text>
        ) : null}
        {canApprove && inReview && approvedByMe ? (
          <Text size="sm" c="dimmed">
            {t('advisories.workflow.alreadyApproved')}
          </Text>
        ) : null}

        <ErrorAlert error={approve.error} title={isFourEyesRefusal(approve.error) ? t('advisories.workflow.fourEyesTitle') : undefined} />
        {publishFailures.length > 0 ? (
          <Alert color="red" variant="light" role="alert" title={t('advisories.workflow.publishInvalid')}>
            <CsafFailures failures={publishFailures} />
          </Alert>
        ) : (
          <ErrorAlert error={publish.error} />
        )}
      </Stack>

      {dialog === 'submit' ? (
        <TextDialog
          title={t('advisories.workflow.submitTitle')}
          label={t('advisories.workflow.changeSummary')}
          description={everPublished ? t('advisories.workflow.changeSummaryRequired') : t('advisories.workflow.changeSummaryOptional')}
          minLength={everPublished ? 1 : 0}
          confirmLabel={t('advisories.workflow.submit')}
          pending={submit.isPending}
          error={submit.error}
          onConfirm={(text) => submit.mutate(text)}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'reject' ? (
        <TextDialog
          title={t('advisories.workflow.rejectTitle')}
          label={t('advisories.workflow.reason')}
          description={t('advisories.workflow.rejectHelp')}
          minLength={3}
          confirmLabel={t('advisories.workflow.reject')}
          confirmColor="red"
          pending={reject.isPending}
          error={reject.error}
          onConfirm={(text) => reject.mutate(text)}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'withdraw' ? (
        <TextDialog
          title={t('advisories.workflow.withdrawTitle')}
          label={t('advisories.workflow.reason')}
          description={t('advisories.workflow.withdrawHelp')}
          minLength={3}
          confirmLabel={t('advisories.workflow.withdraw')}
          confirmColor="red"
          pending={withdraw.isPending}
          error={withdraw.error}
          onConfirm={(text) => withdraw.mutate(text)}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </Paper>
  );
}
