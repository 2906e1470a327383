import { useState, type FormEvent } from 'react';
import { Badge, Button, Group, NativeSelect, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconDeviceFloppy, IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { optionalEnum } from '../../../lib/search-params';
import { CUSTOM_FIELD_KINDS, customFieldsQuery, type CustomField, type CustomFieldKind } from '../api';
import { useDeleteCustomField, useSaveCustomField } from '../mutations';
import { ScrollX } from './scroll-x';

interface Draft {
  key: string;
  label: string;
  kind: CustomFieldKind;
  options: string;
}
const EMPTY: Draft = { key: '', label: '', kind: 'text', options: '' };

/** Creates a field, or changes one (its key stays: the cases' values hang off it). */
function FieldForm({ editing, onDone }: { editing: CustomField | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveCustomField();
  const [draft, setDraft] = useState<Draft>(editing ? { ...editing, options: editing.options.join('\n') } : EMPTY);
  const set = (change: Partial<Draft>) => setDraft((old) => ({ ...old, ...change }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const options =
      draft.kind === 'select'
        ? draft.options
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean)
        : [];
    save.mutate(
      { key: draft.key.trim(), label: draft.label.trim(), kind: draft.kind, options },
      {
        onSuccess: () => {
          setDraft(EMPTY);
          onDone();
        },
      },
    );
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-labelledby="field-form-title" data-testid="custom-field-form">
      <Stack gap="xs">
        <Title order={3} size="h6" id="field-form-title">
          {editing ? t('incidents.fieldDefs.edit', { label: editing.label }) : t('incidents.fieldDefs.add')}
        </Title>
        <Group gap="sm" align="flex-start" wrap="wrap">
          <TextInput
            label={t('incidents.fieldDefs.key')}
            description={t('incidents.fieldDefs.keyHelp')}
            name="key"
            required
            maxLength={40}
            disabled={editing !== null}
            value={draft.key}
            onChange={(event) => set({ key: event.currentTarget.value })}
            w={220}
          />
          <TextInput
            label={t('incidents.fieldDefs.label')}
            name="label"
            required
            maxLength={120}
            value={draft.label}
            onChange={(event) => set({ label: event.currentTarget.value })}
            w={260}
          />
          <NativeSelect
            label={t('incidents.fieldDefs.kind')}
            name="kind"
            value={draft.kind}
            onChange={(event) => set({ kind: optionalEnum(event.currentTarget.value, CUSTOM_FIELD_KINDS) ?? 'text' })}
            data={CUSTOM_FIELD_KINDS.map((value) => ({ value, label: t(`incidents.fieldDefs.kinds.${value}`) }))}
            w={180}
          />
        </Group>
        {draft.kind === 'select' ? (
          <Textarea
            label={t('incidents.fieldDefs.options')}
            description={t('incidents.fieldDefs.optionsHelp')}
            name="options"
            autosize
            minRows={3}
            value={draft.options}
            onChange={(event) => set({ options: event.currentTarget.value })}
          />
        ) : null}
        <ErrorAlert error={save.error} />
        <Group gap="xs">
          <Button type="submit" size="xs" leftSection={<IconDeviceFloppy size={14} aria-hidden />} loading={save.isPending}>
            {t('incidents.fieldDefs.save')}
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

/** The CERT's custom fields of cases: list, create, change and remove their definitions. */
export function CustomFieldDefinitions() {
  const { t } = useTranslation();
  const fields = useQuery(customFieldsQuery);
  const remove = useDeleteCustomField();
  const [editing, setEditing] = useState<CustomField | null>(null);
  const list = fields.data ?? [];
  return (
    <Stack gap="sm" data-testid="custom-field-definitions">
      <Text size="sm" c="dimmed">
        {t('incidents.fieldDefs.intro')}
      </Text>
      {fields.isPending ? <LoadingIndicator /> : <ErrorAlert error={fields.error} />}
      <ScrollX label={t('incidents.fieldDefs.title')}>
        <Table verticalSpacing={4} data-testid="custom-field-table">
          <caption className="visually-hidden">{t('incidents.fieldDefs.title')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('incidents.fieldDefs.key')}</Table.Th>
              <Table.Th scope="col">{t('incidents.fieldDefs.label')}</Table.Th>
              <Table.Th scope="col">{t('incidents.fieldDefs.kind')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((f) => (
              <Table.Tr key={f.key} data-testid="custom-field-row" data-key={f.key}>
                <Table.Td ff="monospace">{f.key}</Table.Td>
                <Table.Td>{f.label}</Table.Td>
                <Table.Td>
                  {t(`incidents.fieldDefs.kinds.${f.kind}`)}
                  {f.options.map((o) => (
                    <Badge key={o} size="xs" variant="default" ml={4} component="span">
                      {o}
                    </Badge>
                  ))}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      leftSection={<IconPencil size={12} aria-hidden />}
                      onClick={() => setEditing(f)}
                      aria-label={t('incidents.fieldDefs.editNamed', { label: f.label })}
                    >
                      {t('common.edit')}
                    </Button>
                    <ConfirmButton
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      message={t('incidents.fieldDefs.removeConfirm', { label: f.label })}
                      onConfirm={() => remove.mutate(f.key)}
                    >
                      {t('incidents.fieldDefs.remove')}
                    </ConfirmButton>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
            {fields.isSuccess && list.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" c="dimmed">
                    {t('incidents.fieldDefs.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </ScrollX>
      <ErrorAlert error={remove.error} />
      <FieldForm key={editing?.key ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
    </Stack>
  );
}
