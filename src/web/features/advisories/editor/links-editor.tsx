import { Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { newReference, newSource, removeAt, replaceAt, type EditorReference, type EditorSource } from './editor-model';

type Issue = (path: string) => string | undefined;

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={onClick} mb={4}>
      {t('advisories.editor.remove')}
      <span className="visually-hidden"> {label}</span>
    </Button>
  );
}

/** Links to further reading (vendor advisories, NVD, …). */
export function ReferencesEditor({ value, onChange, issue }: { value: EditorReference[]; onChange: (next: EditorReference[]) => void; issue: Issue }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {value.map((reference, index) => {
        const path = (field: string) => `content.references.${index}.${field}`;
        const update = (patch: Partial<EditorReference>) => onChange(replaceAt(value, index, { ...reference, ...patch }));
        const legend = t('advisories.editor.referenceN', { n: index + 1 });
        return (
          <Fieldset key={reference.key} legend={legend} variant="unstyled">
            <Group gap="sm" align="flex-end" wrap="wrap">
              <TextInput
                label={t('advisories.fields.referenceUrl')}
                name={`references.${index}.url`}
                type="url"
                required
                withAsterisk={false}
                placeholder="https://"
                value={reference.url}
                onChange={(event) => update({ url: event.currentTarget.value })}
                error={issue(path('url'))}
                style={{ flex: 2, minWidth: 220 }}
              />
              <TextInput
                label={t('advisories.fields.referenceSummary')}
                name={`references.${index}.summary`}
                value={reference.summary}
                onChange={(event) => update({ summary: event.currentTarget.value })}
                error={issue(path('summary'))}
                style={{ flex: 2, minWidth: 180 }}
              />
              <NativeSelect
                label={t('advisories.fields.referenceCategory')}
                name={`references.${index}.category`}
                value={reference.category}
                onChange={(event) => update({ category: event.currentTarget.value === 'self' ? 'self' : 'external' })}
                data={[
                  { value: 'external', label: t('advisories.referenceCategory.external') },
                  { value: 'self', label: t('advisories.referenceCategory.self') },
                ]}
              />
              <RemoveButton label={legend} onClick={() => onChange(removeAt(value, index))} />
            </Group>
          </Fieldset>
        );
      })}
      <Group>
        <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange([...value, newReference()])}>
          {t('advisories.editor.addReference')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Where the information came from (NCSC-NL, a vendor's PSIRT, an imported CSAF document). */
export function SourcesEditor({ value, onChange, issue }: { value: EditorSource[]; onChange: (next: EditorSource[]) => void; issue: Issue }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {value.map((source, index) => {
        const path = (field: string) => `content.sources.${index}.${field}`;
        const update = (patch: Partial<EditorSource>) => onChange(replaceAt(value, index, { ...source, ...patch }));
        const legend = t('advisories.editor.sourceN', { n: index + 1 });
        return (
          <Fieldset key={source.key} legend={legend} variant="unstyled">
            <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="sm" style={{ alignItems: 'end' }}>
              <TextInput
                label={t('advisories.fields.sourceName')}
                name={`sources.${index}.name`}
                required
                withAsterisk={false}
                value={source.name}
                onChange={(event) => update({ name: event.currentTarget.value })}
                error={issue(path('name'))}
              />
              <TextInput
                label={t('advisories.fields.sourceUrl')}
                name={`sources.${index}.url`}
                type="url"
                value={source.url}
                onChange={(event) => update({ url: event.currentTarget.value })}
                error={issue(path('url'))}
              />
              <TextInput
                label={t('advisories.fields.sourceReference')}
                name={`sources.${index}.reference`}
                value={source.reference}
                onChange={(event) => update({ reference: event.currentTarget.value })}
                error={issue(path('reference'))}
              />
              <Group>
                <RemoveButton label={legend} onClick={() => onChange(removeAt(value, index))} />
              </Group>
            </SimpleGrid>
          </Fieldset>
        );
      })}
      <Group>
        <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange([...value, newSource()])}>
          {t('advisories.editor.addSource')}
        </Button>
      </Group>
    </Stack>
  );
}
