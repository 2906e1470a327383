import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { isApiError } from '../../../lib/api-client';
import { customFieldsQuery, type CustomField, type CustomFieldValue, type IncidentCase } from '../api';
import { usePatchCase } from '../mutations';

/** What a field's input holds as text (a yes/no field: 'true' or ''). */
function asText(value: CustomFieldValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : '';
  return String(value);
}

/**
 * The value to send. A number that does not read as one is sent as typed, so the API's own message
 * ("… takes a number.") is what the analyst sees; an empty field removes the value (null).
 */
function toValue(field: CustomField, text: string): CustomFieldValue | null {
  if (field.kind === 'boolean') return text === 'true';
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (field.kind === 'number') {
    const n = Number(trimmed.replace(',', '.'));
    return Number.isFinite(n) ? n : trimmed;
  }
  return trimmed;
}

function FieldInput({ field, value, error, onChange }: { field: CustomField; value: string; error?: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const name = `custom-${field.key}`;
  switch (field.kind) {
    case 'boolean':
      return (
        <Checkbox
          label={field.label}
          name={name}
          checked={value === 'true'}
          onChange={(event) => onChange(event.currentTarget.checked ? 'true' : '')}
          mt="lg"
        />
      );
    case 'select':
      return (
        <NativeSelect
          label={field.label}
          name={name}
          value={value}
          error={error}
          onChange={(event) => onChange(event.currentTarget.value)}
          data={[{ value: '', label: t('incidents.customFields.none') }, ...field.options.map((o) => ({ value: o, label: o }))]}
        />
      );
    case 'number':
      return (
        <TextInput label={field.label} name={name} inputMode="decimal" value={value} error={error} onChange={(event) => onChange(event.currentTarget.value)} />
      );
    case 'text':
      return (
        <TextInput label={field.label} name={name} maxLength={2000} value={value} error={error} onChange={(event) => onChange(event.currentTarget.value)} />
      );
  }
}

/** The case's values of the CERT's custom fields; the API checks each against its definition. */
export function CaseCustomFields({ incident, readOnly }: { incident: IncidentCase; readOnly: boolean }) {
  const { t } = useTranslation();
  const fields = useQuery(customFieldsQuery);
  const patch = usePatchCase(incident.id);
  const stored = incident.customFields ?? {};
  const [edits, setEdits] = useState<Record<string, string>>({});
  const list = fields.data ?? [];
  if (fields.isSuccess && list.length === 0) return null;
  const textOf = (f: CustomField) => edits[f.key] ?? asText(stored[f.key]);
  // The API names the field it refused (customFields.<key>): show its message there too.
  const details: unknown = isApiError(patch.error) ? patch.error.details : undefined;
  const refused = typeof details === 'object' && details !== null && 'field' in details && typeof details.field === 'string' ? details.field : '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changed = list.filter((f) => edits[f.key] !== undefined && edits[f.key] !== asText(stored[f.key]));
    if (changed.length === 0) return;
    patch.mutate({ customFields: Object.fromEntries(changed.map((f) => [f.key, toValue(f, textOf(f))])) }, { onSuccess: () => setEdits({}) });
  };
  return (
    <Paper withBorder p="sm" mt="md" component="form" onSubmit={submit} noValidate aria-labelledby="custom-fields-title" data-testid="case-custom-fields">
      <Stack gap="xs">
        <Title order={3} size="h6" id="custom-fields-title">
          {t('incidents.customFields.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('incidents.customFields.help')}
        </Text>
        <fieldset disabled={readOnly || patch.isPending} style={{ border: 0, padding: 0, margin: 0 }}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {list.map((f) => (
              <FieldInput
                key={f.key}
                field={f}
                value={textOf(f)}
                error={refused === `customFields.${f.key}` && isApiError(patch.error) ? patch.error.message : undefined}
                onChange={(value) => setEdits((old) => ({ ...old, [f.key]: value }))}
              />
            ))}
          </SimpleGrid>
        </fieldset>
        <ErrorAlert error={patch.error} />
        {readOnly ? null : (
          <Group>
            <Button type="submit" size="xs" leftSection={<IconDeviceFloppy size={14} aria-hidden />} loading={patch.isPending} data-testid="save-custom-fields">
              {t('incidents.customFields.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
