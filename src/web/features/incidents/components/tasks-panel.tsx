import { useState, type FormEvent } from 'react';
import { Badge, Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlaylistAdd, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { optionalEnum } from '../../../lib/search-params';
import { TASK_SIDES, tasksQuery, templatesQuery, type Task } from '../api';
import { useAddTask, useApplyTemplate, usePatchTask } from '../mutations';
import { LocalTimeInput, localToIso } from './local-time-input';
import { TaskEditor } from './task-editor';

const SIDES = TASK_SIDES;

function TaskItem({ caseId, task, disabled, editable }: { caseId: string; task: Task; disabled: boolean; editable: boolean }) {
  const { t } = useTranslation();
  const patch = usePatchTask(caseId);
  const [editing, setEditing] = useState(false);
  const done = task.status === 'done';
  return (
    <Paper withBorder p="xs" component="li" data-testid="task" data-side={task.side} data-status={task.status}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Checkbox
            label={
              <Text span size="sm" fw={500} td={done ? 'line-through' : undefined} data-testid="task-title">
                {task.title}
              </Text>
            }
            checked={done}
            disabled={disabled || patch.isPending}
            onChange={(event) => patch.mutate({ taskId: task.id, change: { status: event.currentTarget.checked ? 'done' : 'open' } })}
          />
          <Group gap={6} wrap="nowrap">
            <Badge size="xs" variant="light" color={task.side === 'cert' ? 'blue' : 'teal'} component="span">
              {t(`incidents.tasks.side.${task.side}`)}
            </Badge>
            {editable && !editing ? (
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconPencil size={12} aria-hidden />}
                onClick={() => setEditing(true)}
                aria-label={t('incidents.tasks.editNamed', { title: task.title })}
              >
                {t('common.edit')}
              </Button>
            ) : null}
          </Group>
        </Group>
        {task.dueAt || task.assignee ? (
          <Text size="xs" c="dimmed" data-testid="task-meta">
            {task.dueAt ? (
              <>
                {t('incidents.tasks.due')} <DateTime value={task.dueAt} />
              </>
            ) : null}
            {task.assignee ? ` · ${task.assignee.name}` : ''}
          </Text>
        ) : null}
        {task.checklist.length > 0 ? (
          <Stack gap={4} pl="lg" component="ul" aria-label={t('incidents.tasks.checklistOf', { title: task.title })} style={{ listStyle: 'none' }} m={0}>
            {task.checklist.map((item, index) => (
              <li key={`${index}-${item.text}`}>
                <Checkbox
                  size="xs"
                  label={item.text}
                  checked={item.done}
                  disabled={disabled || patch.isPending}
                  data-testid="checklist-item"
                  onChange={(event) => {
                    const checked = event.currentTarget.checked;
                    patch.mutate({ taskId: task.id, change: { checklist: task.checklist.map((c, i) => (i === index ? { ...c, done: checked } : c)) } });
                  }}
                />
              </li>
            ))}
          </Stack>
        ) : null}
        {editing ? <TaskEditor caseId={caseId} task={task} onDone={() => setEditing(false)} /> : null}
        <ErrorAlert error={patch.error} />
      </Stack>
    </Paper>
  );
}

function ApplyTemplate({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const templates = useQuery(templatesQuery);
  const apply = useApplyTemplate(caseId);
  const [templateId, setTemplateId] = useState('');
  return (
    <Group gap="sm" align="flex-end" data-testid="apply-template">
      <NativeSelect
        label={t('incidents.tasks.template')}
        name="templateId"
        value={templateId}
        onChange={(event) => setTemplateId(event.currentTarget.value)}
        data={[{ value: '', label: '—' }, ...(templates.data ?? []).map((tpl) => ({ value: tpl.id, label: tpl.name }))]}
        w={260}
      />
      <Button
        variant="light"
        leftSection={<IconPlaylistAdd size={16} aria-hidden />}
        disabled={!templateId}
        loading={apply.isPending}
        onClick={() =>
          apply.mutate(templateId, {
            onSuccess: (added) => {
              setTemplateId('');
              notifications.show({ color: 'green', message: t('incidents.tasks.templateApplied', { count: added.length }) });
            },
          })
        }
      >
        {t('incidents.tasks.applyTemplate')}
      </Button>
      <ErrorAlert error={apply.error} />
    </Group>
  );
}

function AddTask({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const add = useAddTask(caseId);
  const [title, setTitle] = useState('');
  const [side, setSide] = useState<(typeof SIDES)[number]>('participant');
  const [checklist, setChecklist] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return setMissing(true);
    setMissing(false);
    const items = checklist
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    add.mutate(
      { title: title.trim(), side, checklist: items, dueAt: localToIso(dueAt) ?? null },
      {
        onSuccess: () => {
          setTitle('');
          setChecklist('');
          setDueAt('');
        },
      },
    );
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-labelledby="add-task-title" data-testid="add-task">
      <Stack gap="xs">
        <Title order={3} size="h6" id="add-task-title">
          {t('incidents.tasks.add')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label={t('incidents.tasks.titleLabel')}
            name="title"
            required
            maxLength={300}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
            error={missing ? t('incidents.report.required') : undefined}
          />
          <NativeSelect
            label={t('incidents.tasks.sideLabel')}
            name="side"
            value={side}
            onChange={(event) => setSide(optionalEnum(event.currentTarget.value, SIDES) ?? 'participant')}
            data={SIDES.map((value) => ({ value, label: t(`incidents.tasks.side.${value}`) }))}
          />
          <LocalTimeInput label={t('incidents.tasks.dueLabel')} name="dueAt" value={dueAt} onChange={setDueAt} />
        </SimpleGrid>
        <Textarea
          label={t('incidents.tasks.checklist')}
          description={t('incidents.tasks.checklistHelp')}
          name="checklist"
          autosize
          minRows={2}
          maxRows={8}
          value={checklist}
          onChange={(event) => setChecklist(event.currentTarget.value)}
        />
        <ErrorAlert error={add.error} />
        <Group>
          <Button type="submit" size="xs" leftSection={<IconPlus size={14} aria-hidden />} loading={add.isPending}>
            {t('incidents.tasks.addSubmit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The tasks of a case with their checklists. The CERT applies playbooks and adds tasks; the room ticks off its own. */
export function TasksPanel({ caseId, isCert, readOnly }: { caseId: string; isCert: boolean; readOnly: boolean }) {
  const { t } = useTranslation();
  const tasks = useQuery(tasksQuery(caseId));
  const list = tasks.data ?? [];
  return (
    <Stack gap="sm" data-testid="tasks-panel">
      {isCert && !readOnly ? <ApplyTemplate caseId={caseId} /> : null}
      {tasks.isPending ? <LoadingIndicator /> : <ErrorAlert error={tasks.error} />}
      {tasks.isSuccess && list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {isCert ? t('incidents.tasks.empty') : t('incidents.tasks.emptyRoom')}
        </Text>
      ) : null}
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('incidents.tasks.title')} data-testid="tasks-list">
        {list.map((task) => (
          <TaskItem key={task.id} caseId={caseId} task={task} disabled={readOnly} editable={isCert && !readOnly} />
        ))}
      </Stack>
      {isCert && !readOnly ? <AddTask caseId={caseId} /> : null}
    </Stack>
  );
}
