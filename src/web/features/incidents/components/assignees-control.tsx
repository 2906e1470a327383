import { useState } from 'react';
import { Badge, Button, CloseButton, Group, NativeSelect, Text } from '@mantine/core';
import { IconUserCheck, IconUserMinus, IconUserPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { isCertRole } from '../../auth/api';
import { useCurrentUser } from '../../auth/use-current-user';
import { peopleQuery, type IncidentCase } from '../api';
import { usePatchCase } from '../mutations';

/**
 * Who handles the case: CERT staff only (the API refuses anyone else). The list of analysts comes
 * from the users of the CERT's own organisation, which is the signed-in analyst's.
 */
export function AssigneesControl({ incident, disabled }: { incident: IncidentCase; disabled: boolean }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const patch = usePatchCase(incident.id);
  const staff = useQuery(peopleQuery([user.organisationId]));
  const [chosen, setChosen] = useState('');
  const ids = incident.assignees.map((a) => a.id);
  const assigned = ids.includes(user.id);
  const candidates = (staff.data ?? []).filter((u) => isCertRole(u.role) && !ids.includes(u.id));
  const busy = disabled || patch.isPending;
  const save = (assigneeIds: string[]) => patch.mutate({ assigneeIds }, { onSuccess: () => setChosen('') });

  return (
    <>
      <Group gap="xs" wrap="wrap" align="flex-end" data-testid="assignees">
        <Text size="sm" fw={500}>
          {t('incidents.fields.assignees')}:
        </Text>
        {incident.assignees.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('incidents.case.unassigned')}
          </Text>
        ) : (
          incident.assignees.map((a) => (
            <Badge
              key={a.id}
              variant="default"
              size="lg"
              component="span"
              data-testid="assignee"
              rightSection={
                disabled ? null : (
                  <CloseButton
                    size="xs"
                    disabled={busy}
                    aria-label={t('incidents.assignees.remove', { name: a.name })}
                    onClick={() => save(ids.filter((id) => id !== a.id))}
                  />
                )
              }
            >
              {a.name}
            </Badge>
          ))
        )}
        <Button
          size="xs"
          variant="subtle"
          disabled={busy}
          leftSection={assigned ? <IconUserMinus size={14} aria-hidden /> : <IconUserCheck size={14} aria-hidden />}
          onClick={() => save(assigned ? ids.filter((id) => id !== user.id) : [...ids, user.id])}
        >
          {assigned ? t('incidents.case.unassignMe') : t('incidents.case.assignMe')}
        </Button>
      </Group>
      {disabled ? null : (
        <Group gap="xs" align="flex-end">
          <NativeSelect
            size="xs"
            label={t('incidents.assignees.add')}
            name="assignee"
            value={chosen}
            disabled={busy}
            onChange={(event) => setChosen(event.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...candidates.map((u) => ({ value: u.id, label: u.name }))]}
            w={240}
          />
          <Button
            size="xs"
            variant="light"
            leftSection={<IconUserPlus size={14} aria-hidden />}
            disabled={!chosen || busy}
            onClick={() => save([...ids, chosen])}
            data-testid="assign-analyst"
          >
            {t('incidents.assignees.addSubmit')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={staff.error} />
    </>
  );
}
