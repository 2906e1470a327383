import { useState, type FormEvent } from 'react';
import { Button, Group, NativeSelect, Paper, Stack, Text } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { isCertRole } from '../../auth/api';
import { useCurrentUser } from '../../auth/use-current-user';
import { caseQuery, peopleQuery, type Task } from '../api';
import { usePatchTask } from '../mutations';
import { isoToAmsterdamLocal, LocalTimeInput, localToIso } from './local-time-input';

/**
 * The CERT changes a task's owner and due date after it was made. A CERT task goes to CERT staff; an
 * organisation's task to someone of the affected organisations or the invited supplier. The side a
 * task is for is fixed when it is made (the API does not change it).
 */
export function TaskEditor({ caseId, task, onDone }: { caseId: string; task: Task; onDone: () => void }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const incident = useQuery(caseQuery(caseId));
  const orgIds = task.side === 'cert' ? [user.organisationId] : [...(incident.data?.affected ?? []), ...(incident.data?.guests ?? [])].map((o) => o.id);
  const people = useQuery(peopleQuery(orgIds));
  const candidates = (people.data ?? []).filter((u) => (task.side === 'cert' ? isCertRole(u.role) : !isCertRole(u.role)));
  const patch = usePatchTask(caseId);
  const [owner, setOwner] = useState(task.assignee?.id ?? '');
  const [due, setDue] = useState(task.dueAt ? isoToAmsterdamLocal(task.dueAt) : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    patch.mutate({ taskId: task.id, change: { assigneeUserId: owner || null, dueAt: localToIso(due) ?? null } }, { onSuccess: onDone });
  };
  // The current owner stays choosable even when the list has not loaded (or they left).
  const options = [...candidates.map((u) => ({ value: u.id, label: u.name }))];
  if (task.assignee && !options.some((o) => o.value === task.assignee?.id)) options.unshift({ value: task.assignee.id, label: task.assignee.name });
  return (
    <Paper
      withBorder
      p="xs"
      component="form"
      onSubmit={submit}
      noValidate
      aria-label={t('incidents.tasks.editNamed', { title: task.title })}
      data-testid="task-editor"
    >
      <Stack gap={6}>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            size="xs"
            label={t('incidents.tasks.owner')}
            name="assigneeUserId"
            value={owner}
            onChange={(event) => setOwner(event.currentTarget.value)}
            data={[{ value: '', label: t('incidents.tasks.noOwner') }, ...options]}
            w={240}
          />
          <LocalTimeInput size="xs" label={t('incidents.tasks.dueLabel')} name="dueAt" value={due} onChange={setDue} />
        </Group>
        <Text size="xs" c="dimmed">
          {t('incidents.tasks.sideFixed', { side: t(`incidents.tasks.side.${task.side}`) })}
        </Text>
        <ErrorAlert error={people.error ?? patch.error} />
        <Group gap={4}>
          <Button type="submit" size="compact-xs" leftSection={<IconDeviceFloppy size={12} aria-hidden />} loading={patch.isPending}>
            {t('incidents.tasks.saveChanges')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
