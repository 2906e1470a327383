import { useState, type FormEvent } from 'react';
import { ActionIcon, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { rsitClassLabel, rsitTypeLabel } from '#lib/rsit-labels.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { TASK_SIDES, taxonomyQuery, type Template } from '../api';
import { useSaveTemplate } from '../mutations';

interface TaskDraft {
  title: string;
  side: (typeof TASK_SIDES)[number];
  dueInHours: string;
  checklist: string;
}
const NEW_TASK: TaskDraft = { title: '', side: 'cert', dueInHours: '', checklist: '' };

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function TaskFields({
  index,
  task,
  onChange,
  onRemove,
}: {
  index: number;
  task: TaskDraft;
  onChange: (change: Partial<TaskDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const n = index + 1;
  return (
    <Paper withBorder p="xs" component="fieldset" data-testid="playbook-task" style={{ margin: 0 }}>
      <legend>
        <Text size="xs" fw={500}>
          {t('incidents.playbooks.taskN', { n })}
        </Text>
      </legend>
      <Stack gap={6}>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            label={t('incidents.tasks.titleLabel')}
            required
            maxLength={300}
            value={task.title}
            onChange={(event) => onChange({ title: event.currentTarget.value })}
            w={300}
          />
          <NativeSelect
            label={t('incidents.tasks.sideLabel')}
            value={task.side}
            onChange={(event) => onChange({ side: optionalEnum(event.currentTarget.value, TASK_SIDES) ?? 'cert' })}
            data={TASK_SIDES.map((value) => ({ value, label: t(`incidents.tasks.side.${value}`) }))}
          />
          <TextInput
            label={t('incidents.playbooks.dueInHours')}
            inputMode="numeric"
            value={task.dueInHours}
            onChange={(event) => onChange({ dueInHours: event.currentTarget.value })}
            w={150}
          />
          <ActionIcon variant="subtle" color="red" size="lg" mb={2} aria-label={t('incidents.playbooks.removeTask', { n })} onClick={onRemove}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
        <Textarea
          label={t('incidents.tasks.checklist')}
          description={t('incidents.tasks.checklistHelp')}
          autosize
          minRows={2}
          value={task.checklist}
          onChange={(event) => onChange({ checklist: event.currentTarget.value })}
        />
      </Stack>
    </Paper>
  );
}

/** Creates a playbook or changes one; the API saves by name, so a new name makes a new playbook. */
export function PlaybookForm({ editing, onDone }: { editing: Template | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('en') ? 'en' : 'nl';
  const taxonomy = useQuery(taxonomyQuery);
  const save = useSaveTemplate();
  const [name, setName] = useState(editing?.name ?? '');
  const [categoryClass, setCategoryClass] = useState(editing?.categoryClass ?? '');
  const [categoryType, setCategoryType] = useState(editing?.categoryType ?? '');
  const [advice, setAdvice] = useState(editing?.advice ?? '');
  const [tasks, setTasks] = useState<TaskDraft[]>(
    editing?.tasks.map((task) => ({
      title: task.title,
      side: task.side,
      dueInHours: task.dueInHours ? String(task.dueInHours) : '',
      checklist: task.checklist.join('\n'),
    })) ?? [NEW_TASK],
  );
  const classes = Object.keys(taxonomy.data ?? {});
  const types = taxonomy.data?.[categoryClass] ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        name: name.trim(),
        categoryClass,
        categoryType: categoryType || null,
        advice,
        tasks: tasks.map((task) => ({
          title: task.title.trim(),
          side: task.side,
          // Not a number stays as typed: the API says what is wrong with it.
          ...(task.dueInHours.trim() ? { dueInHours: Number(task.dueInHours.trim()) } : {}),
          checklist: lines(task.checklist),
        })),
      },
      { onSuccess: onDone },
    );
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-labelledby="playbook-form-title" data-testid="playbook-form">
      <Stack gap="xs">
        <Title order={3} size="h6" id="playbook-form-title">
          {editing ? t('incidents.playbooks.edit', { name: editing.name }) : t('incidents.playbooks.add')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('incidents.playbooks.byName')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label={t('incidents.playbooks.name')}
            name="name"
            required
            maxLength={120}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <NativeSelect
            label={t('incidents.fields.categoryClass')}
            name="categoryClass"
            required
            value={categoryClass}
            onChange={(event) => {
              setCategoryClass(event.currentTarget.value);
              setCategoryType('');
            }}
            data={[{ value: '', label: '—' }, ...classes.map((value) => ({ value, label: rsitClassLabel(value, lang) }))]}
          />
          <NativeSelect
            label={t('incidents.playbooks.categoryType')}
            name="categoryType"
            value={categoryType}
            onChange={(event) => setCategoryType(event.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...types.map((value) => ({ value, label: rsitTypeLabel(value, lang) }))]}
          />
        </SimpleGrid>
        <Textarea
          label={t('incidents.playbooks.advice')}
          name="advice"
          autosize
          minRows={2}
          maxRows={8}
          value={advice}
          onChange={(event) => setAdvice(event.currentTarget.value)}
        />
        {tasks.map((task, index) => (
          <TaskFields
            key={index}
            index={index}
            task={task}
            onChange={(change) => setTasks((old) => old.map((item, i) => (i === index ? { ...item, ...change } : item)))}
            onRemove={() => setTasks((old) => old.filter((_, i) => i !== index))}
          />
        ))}
        <Group>
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setTasks((old) => [...old, NEW_TASK])}>
            {t('incidents.playbooks.addTask')}
          </Button>
        </Group>
        <ErrorAlert error={save.error} />
        <Group gap="xs">
          <Button type="submit" size="xs" leftSection={<IconDeviceFloppy size={14} aria-hidden />} loading={save.isPending} disabled={!categoryClass}>
            {t('incidents.playbooks.save')}
          </Button>
          {editing ? (
            <Button size="xs" variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}
