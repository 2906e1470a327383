import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { rsitClassLabel, rsitTypeLabel } from '#lib/rsit-labels.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { templatesQuery, type Template } from '../api';
import { PlaybookForm } from './playbook-form';

function PlaybookView({ template, onEdit }: { template: Template; onEdit: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('en') ? 'en' : 'nl';
  return (
    <Paper withBorder p="xs" component="li" data-testid="playbook" data-name={template.name}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600}>
            {template.name}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconPencil size={12} aria-hidden />}
            onClick={onEdit}
            aria-label={t('incidents.playbooks.editNamed', { name: template.name })}
          >
            {t('common.edit')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {rsitClassLabel(template.categoryClass, lang)}
          {template.categoryType ? ` · ${rsitTypeLabel(template.categoryType, lang)}` : ''}
        </Text>
        <Stack gap={2} component="ol" pl="md" m={0}>
          {template.tasks.map((task, index) => (
            <li key={`${index}-${task.title}`}>
              <Group gap={6} wrap="wrap">
                <Text size="sm">{task.title}</Text>
                <Badge size="xs" variant="light" color={task.side === 'cert' ? 'blue' : 'teal'} component="span">
                  {t(`incidents.tasks.side.${task.side}`)}
                </Badge>
                {task.dueInHours ? (
                  <Text span size="xs" c="dimmed">
                    {t('incidents.playbooks.dueAfter', { count: task.dueInHours })}
                  </Text>
                ) : null}
                {task.checklist.length ? (
                  <Text span size="xs" c="dimmed">
                    {t('incidents.playbooks.checklistItems', { count: task.checklist.length })}
                  </Text>
                ) : null}
              </Group>
            </li>
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}

/** The CERT's playbooks (case templates): view them, create one, change one. */
export function PlaybooksPanel() {
  const { t } = useTranslation();
  const templates = useQuery(templatesQuery);
  const [editing, setEditing] = useState<Template | null>(null);
  // A saved form starts afresh (a new key remounts it empty).
  const [round, setRound] = useState(0);
  const list = templates.data ?? [];
  return (
    <Stack gap="sm" data-testid="playbooks-panel">
      <Text size="sm" c="dimmed">
        {t('incidents.playbooks.intro')}
      </Text>
      {templates.isPending ? <LoadingIndicator /> : <ErrorAlert error={templates.error} />}
      {templates.isSuccess && list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('incidents.playbooks.empty')}
        </Text>
      ) : null}
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('incidents.playbooks.title')}>
        {list.map((tpl) => (
          <PlaybookView key={tpl.id} template={tpl} onEdit={() => setEditing(tpl)} />
        ))}
      </Stack>
      <PlaybookForm
        key={editing?.id ?? `new-${round}`}
        editing={editing}
        onDone={() => {
          setEditing(null);
          setRound((n) => n + 1);
        }}
      />
    </Stack>
  );
}
