import { Box, Button, Checkbox, Fieldset, Group, MultiSelect, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { optionalEnum } from '../../../lib/search-params';
import { PRODUCT_STATUSES, REMEDIATION_CATEGORIES } from '../api';
import { CvssBadge, scoreVector, type CvssVersion } from '../components/cvss-score';
import { newRemediation, removeAt, replaceAt, type EditorProduct, type EditorRemediation, type EditorVulnerability } from './editor-model';

type Issue = (path: string) => string | undefined;

interface CvssFieldProps {
  version: CvssVersion;
  label: string;
  name: string;
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
  /** The server's message for this field, which wins over the local one. */
  serverError: string | undefined;
}

/** A vector input with its score and severity beside it, computed as one types. */
function CvssField({ version, label, name, value, placeholder, onChange, serverError }: CvssFieldProps) {
  const { t } = useTranslation();
  const result = scoreVector(version, value);
  const error = serverError ?? (result && !result.ok ? result.message : undefined);
  return (
    <Group gap="sm" align="flex-start" wrap="nowrap">
      <TextInput
        label={label}
        name={name}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={error}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        style={{ flex: 1 }}
      />
      <Box mt={28} miw={110} role="status" data-testid={`cvss-${version}-score`}>
        {result?.ok && result.score !== undefined && result.severity ? (
          <>
            <span className="visually-hidden">{t('advisories.editor.scoreOf', { label })} </span>
            <CvssBadge score={result.score} severity={result.severity} />
          </>
        ) : null}
      </Box>
    </Group>
  );
}

interface RemediationsProps {
  vulnerabilityIndex: number;
  remediations: EditorRemediation[];
  products: EditorProduct[];
  onChange: (remediations: EditorRemediation[]) => void;
  issue: Issue;
}

function Remediations({ vulnerabilityIndex, remediations, products, onChange, issue }: RemediationsProps) {
  const { t } = useTranslation();
  const productOptions = (chosen: string[]) => {
    const options = products.map((product) => ({ value: product.id, label: `${product.id} · ${product.vendor} ${product.name}`.trim() }));
    // Ids not (or no longer) in the product list stay visible so they can be removed.
    for (const id of chosen) if (!options.some((option) => option.value === id)) options.push({ value: id, label: id });
    return options;
  };
  return (
    <Stack gap="xs">
      {remediations.map((remediation, index) => {
        const path = (field: string) => `content.vulnerabilities.${vulnerabilityIndex}.remediations.${index}.${field}`;
        const name = (field: string) => `vulnerabilities.${vulnerabilityIndex}.remediations.${index}.${field}`;
        const update = (patch: Partial<EditorRemediation>) => onChange(replaceAt(remediations, index, { ...remediation, ...patch }));
        const legend = t('advisories.editor.remediationN', { n: index + 1 });
        return (
          <Fieldset key={remediation.key} legend={legend} variant="filled">
            <Stack gap="xs">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <NativeSelect
                  label={t('advisories.fields.remediationCategory')}
                  name={name('category')}
                  value={remediation.category}
                  onChange={(event) => update({ category: optionalEnum(event.currentTarget.value, REMEDIATION_CATEGORIES) ?? remediation.category })}
                  data={REMEDIATION_CATEGORIES.map((category) => ({ value: category, label: t(`advisories.remediation.${category}`) }))}
                />
                <TextInput
                  label={t('advisories.fields.fixedVersion')}
                  name={name('fixedVersion')}
                  value={remediation.fixedVersion}
                  onChange={(event) => update({ fixedVersion: event.currentTarget.value })}
                  error={issue(path('fixedVersion'))}
                />
              </SimpleGrid>
              <Textarea
                label={t('advisories.fields.remediationDetails')}
                name={name('details')}
                required
                withAsterisk={false}
                autosize
                minRows={2}
                value={remediation.details}
                onChange={(event) => update({ details: event.currentTarget.value })}
                error={issue(path('details'))}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('advisories.fields.remediationUrl')}
                  name={name('url')}
                  type="url"
                  value={remediation.url}
                  onChange={(event) => update({ url: event.currentTarget.value })}
                  error={issue(path('url'))}
                />
                <MultiSelect
                  label={t('advisories.fields.remediationProducts')}
                  name={name('productIds')}
                  required
                  withAsterisk={false}
                  data={productOptions(remediation.productIds)}
                  value={remediation.productIds}
                  onChange={(productIds) => update({ productIds })}
                  error={issue(path('productIds'))}
                />
              </SimpleGrid>
              <Group justify="flex-end">
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  leftSection={<IconTrash size={14} aria-hidden />}
                  onClick={() => onChange(removeAt(remediations, index))}
                >
                  {t('advisories.editor.remove')}
                  <span className="visually-hidden"> {legend}</span>
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...remediations, newRemediation(products)])}
        >
          {t('advisories.editor.addRemediation')}
        </Button>
      </Group>
    </Stack>
  );
}

interface VulnerabilitiesEditorProps {
  vulnerabilities: EditorVulnerability[];
  products: EditorProduct[];
  onAdd: () => void;
  onChange: (index: number, patch: Partial<EditorVulnerability>) => void;
  onRemove: (index: number) => void;
  issue: Issue;
}

/** The vulnerabilities of an advisory: identification, scores, status per product and remediations. */
export function VulnerabilitiesEditor({ vulnerabilities, products, onAdd, onChange, onRemove, issue }: VulnerabilitiesEditorProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      {vulnerabilities.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('advisories.editor.noVulnerabilities')}
        </Text>
      ) : null}
      {vulnerabilities.map((vulnerability, index) => {
        const path = (field: string) => `content.vulnerabilities.${index}.${field}`;
        const name = (field: string) => `vulnerabilities.${index}.${field}`;
        const update = (patch: Partial<EditorVulnerability>) => onChange(index, patch);
        const legend = t('advisories.editor.vulnerabilityN', { n: index + 1 });
        return (
          <Fieldset key={vulnerability.key} legend={legend} data-testid="vulnerability-fieldset">
            <Stack gap="xs">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('advisories.fields.cve')}
                  name={name('cve')}
                  placeholder="CVE-2026-12345"
                  value={vulnerability.cve}
                  onChange={(event) => update({ cve: event.currentTarget.value })}
                  error={issue(path('cve'))}
                />
                <TextInput
                  label={t('advisories.fields.vulnerabilityTitle')}
                  name={name('title')}
                  value={vulnerability.title}
                  onChange={(event) => update({ title: event.currentTarget.value })}
                  error={issue(path('title'))}
                />
              </SimpleGrid>
              <Textarea
                label={t('advisories.fields.vulnerabilityDescription')}
                name={name('description')}
                autosize
                minRows={2}
                value={vulnerability.description}
                onChange={(event) => update({ description: event.currentTarget.value })}
                error={issue(path('description'))}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('advisories.fields.cweId')}
                  name={name('cwe.id')}
                  placeholder="CWE-79"
                  value={vulnerability.cweId}
                  onChange={(event) => update({ cweId: event.currentTarget.value })}
                  error={issue(path('cwe.id')) ?? issue(path('cwe'))}
                />
                <TextInput
                  label={t('advisories.fields.cweName')}
                  name={name('cwe.name')}
                  value={vulnerability.cweName}
                  onChange={(event) => update({ cweName: event.currentTarget.value })}
                  error={issue(path('cwe.name'))}
                />
              </SimpleGrid>
              <CvssField
                version="v3"
                label={t('advisories.fields.cvssV3')}
                name={name('cvssV3')}
                placeholder="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
                value={vulnerability.cvssV3}
                onChange={(cvssV3) => update({ cvssV3 })}
                serverError={issue(path('cvssV3'))}
              />
              <CvssField
                version="v4"
                label={t('advisories.fields.cvssV4')}
                name={name('cvssV4')}
                placeholder="CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
                value={vulnerability.cvssV4}
                onChange={(cvssV4) => update({ cvssV4 })}
                serverError={issue(path('cvssV4'))}
              />
              {vulnerability.cvssV2 ? (
                <Text size="xs" c="dimmed">
                  {t('advisories.editor.cvssV2Kept')} <code>{vulnerability.cvssV2}</code>
                </Text>
              ) : null}
              <Checkbox
                label={t('advisories.fields.knownExploited')}
                name={name('knownExploited')}
                checked={vulnerability.knownExploited}
                onChange={(event) => update({ knownExploited: event.currentTarget.checked })}
              />
              <Text size="sm" fw={600} mt="xs">
                {t('advisories.fields.productStatus')}
              </Text>
              {products.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('advisories.editor.addProductsFirst')}
                </Text>
              ) : (
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  {products.map((product) => (
                    <NativeSelect
                      key={product.key}
                      label={t('advisories.editor.statusOf', { product: `${product.id} ${product.vendor} ${product.name}`.trim() })}
                      name={name(`productStatus.${product.id}`)}
                      value={vulnerability.productStatus[product.id] ?? ''}
                      onChange={(event) => {
                        const status = optionalEnum(event.currentTarget.value, PRODUCT_STATUSES);
                        const productStatus = { ...vulnerability.productStatus };
                        if (status) productStatus[product.id] = status;
                        else delete productStatus[product.id];
                        update({ productStatus });
                      }}
                      data={[
                        { value: '', label: t('advisories.editor.noStatus') },
                        ...PRODUCT_STATUSES.map((status) => ({ value: status, label: t(`advisories.productStatus.${status}`) })),
                      ]}
                    />
                  ))}
                </SimpleGrid>
              )}
              <Text size="sm" fw={600} mt="xs">
                {t('advisories.fields.remediations')}
              </Text>
              <Remediations
                vulnerabilityIndex={index}
                remediations={vulnerability.remediations}
                products={products}
                onChange={(remediations) => update({ remediations })}
                issue={issue}
              />
              <Group justify="flex-end">
                <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => onRemove(index)}>
                  {t('advisories.editor.remove')}
                  <span className="visually-hidden"> {legend}</span>
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={onAdd} data-testid="add-vulnerability">
          {t('advisories.editor.addVulnerability')}
        </Button>
      </Group>
    </Stack>
  );
}
