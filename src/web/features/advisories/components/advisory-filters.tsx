import { Button, Group, NativeSelect, Switch, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, tlpLabel } from '#lib/tlp.ts';
import { FilterText } from '../../../components/filter-text';
import { optionalEnum } from '../../../lib/search-params';
import { PRODUCT_KINDS, WORKFLOW_STATUSES } from '../api';
import { CVE_PATTERN, type AdvisoryFilters } from '../search';

interface FiltersProps {
  value: AdvisoryFilters;
  onChange: (next: AdvisoryFilters) => void;
}

/** The editors' console: every filter the API offers. */
export function ConsoleFilters({ value, onChange }: FiltersProps) {
  const { t } = useTranslation();
  const set = (patch: Partial<AdvisoryFilters>) => onChange({ ...value, ...patch });
  const any = { value: '', label: t('common.all') };

  return (
    <Group gap="sm" mb="sm" align="flex-start" wrap="wrap" role="search" aria-label={t('advisories.filters')}>
      <FilterText
        label={t('common.search')}
        name="q"
        placeholder={t('advisories.searchPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={value.q}
        onCommit={(q) => set({ q })}
        pageSearch
        w={260}
      />
      <NativeSelect
        label={t('advisories.fields.kind')}
        name="kind"
        value={value.kind ?? ''}
        onChange={(event) => set({ kind: optionalEnum(event.currentTarget.value, PRODUCT_KINDS) })}
        data={[any, ...PRODUCT_KINDS.map((kind) => ({ value: kind, label: t(`advisories.kind.${kind}`) }))]}
      />
      <NativeSelect
        label={t('advisories.fields.status')}
        name="status"
        value={value.status ?? ''}
        onChange={(event) => set({ status: optionalEnum(event.currentTarget.value, WORKFLOW_STATUSES) })}
        data={[any, ...WORKFLOW_STATUSES.map((status) => ({ value: status, label: t(`advisories.status.${status}`) }))]}
      />
      <NativeSelect
        label={t('advisories.fields.tlp')}
        name="tlp"
        value={value.tlp ?? ''}
        onChange={(event) => set({ tlp: optionalEnum(event.currentTarget.value, TLP_LEVELS) })}
        data={[any, ...TLP_LEVELS.map((tlp) => ({ value: tlp, label: tlpLabel(tlp) }))]}
      />
      <FilterText
        label={t('advisories.fields.cve')}
        name="cve"
        placeholder="CVE-2026-12345"
        value={value.cve}
        onCommit={(cve) => set({ cve: cve?.toUpperCase() })}
        validate={(text) => (CVE_PATTERN.test(text) ? null : t('advisories.cveFormat'))}
        w={170}
      />
      <FilterText label={t('advisories.fields.vendor')} name="vendor" value={value.vendor} onCommit={(vendor) => set({ vendor })} w={170} />
      <FilterText label={t('advisories.fields.productName')} name="product" value={value.product} onCommit={(product) => set({ product })} w={170} />
      <TextInput
        type="date"
        label={t('advisories.fields.from')}
        name="from"
        value={value.from ?? ''}
        onChange={(event) => set({ from: event.currentTarget.value || undefined })}
      />
      <TextInput
        type="date"
        label={t('advisories.fields.to')}
        name="to"
        value={value.to ?? ''}
        onChange={(event) => set({ to: event.currentTarget.value || undefined })}
      />
      <Button variant="default" mt={25} onClick={() => onChange({})}>
        {t('advisories.resetFilters')}
      </Button>
    </Group>
  );
}

/** The participants' portal: full-text search and, for participants, "relevant to us". */
export function PortalFilters({ value, onChange, showRelevant }: FiltersProps & { showRelevant: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap="md" mb="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('advisories.filters')}>
      <FilterText
        label={t('common.search')}
        name="q"
        placeholder={t('advisories.searchPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={value.q}
        onCommit={(q) => onChange({ ...value, q })}
        pageSearch
        w={320}
      />
      {showRelevant ? (
        <Switch
          label={t('advisories.relevantToUs')}
          name="relevant"
          checked={value.relevant === true}
          onChange={(event) => onChange({ ...value, relevant: event.currentTarget.checked ? true : undefined })}
          mb={8}
          data-testid="relevant-toggle"
        />
      ) : null}
    </Group>
  );
}
