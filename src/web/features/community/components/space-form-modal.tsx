import { useState } from 'react';
import { Button, Checkbox, Modal, MultiSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { SEGMENTS, SPACE_KINDS, SPACE_ROLES, type Space } from '../api';
import { useCreateSpace, useUpdateSpace } from '../mutations';

interface Props {
  space?: Space;
  onClose: () => void;
}

/** The CERT creates or changes a space: its name and who may see it (roles, kinds, segments). */
export function SpaceFormModal({ space, onClose }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState(space?.name ?? '');
  const [description, setDescription] = useState(space?.description ?? '');
  const [roles, setRoles] = useState<string[]>(space?.roles ?? ['participant-admin', 'participant-member']);
  const [kinds, setKinds] = useState<string[]>(space?.organisationKinds ?? ['participant']);
  const [segments, setSegments] = useState<string[]>(space?.segments ?? []);
  const [archived, setArchived] = useState(space?.archived ?? false);
  const create = useCreateSpace();
  const update = useUpdateSpace(space?.id ?? '');
  const mutation = space ? update : create;

  const save = () => {
    const values = {
      name,
      description,
      roles: roles as (typeof SPACE_ROLES)[number][],
      organisationKinds: kinds as (typeof SPACE_KINDS)[number][],
      segments,
    };
    if (space) update.mutate({ ...values, archived }, { onSuccess: onClose });
    else create.mutate(values, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={space ? t('community.space.edit') : t('community.space.new')} size="lg">
      <Stack>
        <TextInput label={t('community.space.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={120} />
        <Textarea label={t('community.space.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
        <MultiSelect
          label={t('community.space.roles')}
          description={t('community.space.rolesHint')}
          data={SPACE_ROLES.map((r) => ({ value: r, label: t(`community.roles.${r}`) }))}
          value={roles}
          onChange={setRoles}
        />
        <MultiSelect
          label={t('community.space.kinds')}
          data={SPACE_KINDS.map((k) => ({ value: k, label: t(`community.kinds.${k}`) }))}
          value={kinds}
          onChange={setKinds}
        />
        <MultiSelect
          label={t('community.space.segments')}
          description={t('community.space.segmentsHint')}
          data={SEGMENTS.map((s) => ({ value: s, label: s }))}
          value={segments}
          onChange={setSegments}
        />
        {space ? <Checkbox label={t('community.space.archived')} checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} /> : null}
        <ErrorAlert error={mutation.error} />
        <Button onClick={save} loading={mutation.isPending} disabled={!name.trim()}>
          {t('community.actions.save')}
        </Button>
      </Stack>
    </Modal>
  );
}
