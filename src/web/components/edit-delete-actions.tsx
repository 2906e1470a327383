import { ActionIcon, Group } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from './confirm-button';

/** The edit and delete buttons of a table row: a pencil, and a delete that asks first. */
export function EditDeleteActions(props: { editLabel: string; deleteLabel: string; confirmMessage: string; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <ActionIcon variant="subtle" onClick={props.onEdit} aria-label={props.editLabel}>
        <IconPencil size={16} aria-hidden />
      </ActionIcon>
      <ConfirmButton
        size="compact-xs"
        variant="subtle"
        color="red"
        message={props.confirmMessage}
        confirmLabel={t('common.delete')}
        onConfirm={props.onDelete}
        aria-label={props.deleteLabel}
      >
        {t('common.delete')}
      </ConfirmButton>
    </Group>
  );
}
