import { Button, Checkbox, Fieldset, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { EditorProduct } from './editor-model';

interface ProductsEditorProps {
  products: EditorProduct[];
  onAdd: () => void;
  onChange: (index: number, patch: Partial<EditorProduct>) => void;
  onRemove: (index: number) => void;
  issue: (path: string) => string | undefined;
}

/** The affected products; vulnerabilities refer to them by their id (P1, P2, … or the id of an import). */
export function ProductsEditor({ products, onAdd, onChange, onRemove, issue }: ProductsEditorProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      {products.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('advisories.editor.noProducts')}
        </Text>
      ) : null}
      {products.map((product, index) => {
        const path = (field: string) => `content.products.${index}.${field}`;
        const text = (
          field: 'id' | 'vendor' | 'name' | 'versions' | 'cpe' | 'purl' | 'model',
          label: string,
          extra: { required?: boolean; description?: string; placeholder?: string } = {},
        ) => (
          <TextInput
            label={label}
            name={`products.${index}.${field}`}
            value={product[field]}
            onChange={(event) => onChange(index, { [field]: event.currentTarget.value })}
            error={issue(path(field))}
            withAsterisk={false}
            {...extra}
          />
        );
        return (
          <Fieldset key={product.key} legend={t('advisories.editor.productN', { n: index + 1, id: product.id })} data-testid="product-fieldset">
            <Stack gap="xs">
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                {text('id', t('advisories.fields.productId'), { required: true })}
                {text('vendor', t('advisories.fields.vendor'), { required: true })}
                {text('name', t('advisories.fields.productName'), { required: true })}
              </SimpleGrid>
              {text('versions', t('advisories.fields.versions'), { description: t('advisories.editor.versionsHelp'), placeholder: '>=2.0 <2.4.1' })}
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {text('cpe', t('advisories.fields.cpe'), { placeholder: 'cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*' })}
                {text('purl', t('advisories.fields.purl'), { placeholder: 'pkg:npm/lodash@4.17.21' })}
              </SimpleGrid>
              <Group gap="sm" align="flex-end">
                <Checkbox
                  label={t('advisories.fields.medicalDevice')}
                  name={`products.${index}.medicalDevice`}
                  checked={product.medicalDevice}
                  onChange={(event) => onChange(index, { medicalDevice: event.currentTarget.checked })}
                  mb={product.medicalDevice ? 8 : 0}
                />
                {product.medicalDevice ? text('model', t('advisories.fields.model')) : null}
              </Group>
              <Group justify="flex-end">
                <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => onRemove(index)}>
                  {t('advisories.editor.remove')}
                  <span className="visually-hidden"> {t('advisories.editor.productN', { n: index + 1, id: product.id })}</span>
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={onAdd} data-testid="add-product">
          {t('advisories.editor.addProduct')}
        </Button>
      </Group>
    </Stack>
  );
}
