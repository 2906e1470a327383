import { Button, Group, NativeSelect } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FilterText } from '../../../components/filter-text';
import { optionalEnum } from '../../../lib/search-params';
import { READ_FILTERS, RELEVANCES, STATES, type Source, type StoryFilters } from '../api';
import { CVE_PATTERN } from '../search';

interface StoryFiltersProps {
  value: StoryFilters;
  onChange: (next: StoryFilters) => void;
  sources: readonly Source[];
}

/** The inbox's filter bar; every change goes to the URL (the page's search params). */
export function StoryFilterBar({ value, onChange, sources }: StoryFiltersProps) {
  const { t } = useTranslation();
  const set = (patch: Partial<StoryFilters>) => onChange({ ...value, ...patch });
  const any = { value: '', label: t('common.all') };
  const filtered = Object.values(value).some((v) => v !== undefined);

  return (
    <Group gap="sm" mb="sm" align="flex-start" wrap="wrap" role="search" aria-label={t('intake.filters.label')} data-testid="intake-filters">
      <FilterText
        label={t('common.search')}
        name="q"
        placeholder={t('intake.filters.qPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={value.q}
        onCommit={(q) => set({ q })}
        maxLength={200}
        pageSearch
        w={240}
      />
      <NativeSelect
        label={t('intake.filters.source')}
        name="source"
        value={value.source ?? ''}
        onChange={(event) => set({ source: sources.find((s) => s.id === event.currentTarget.value)?.id })}
        data={[any, ...sources.map((s) => ({ value: s.id, label: s.name }))]}
        w={200}
      />
      <FilterText
        label={t('intake.filters.cve')}
        name="cve"
        placeholder="CVE-2026-12345"
        value={value.cve}
        onCommit={(cve) => set({ cve: cve?.toUpperCase() })}
        validate={(text) => (CVE_PATTERN.test(text) ? null : t('intake.filters.cveFormat'))}
        maxLength={30}
        w={170}
      />
      <FilterText label={t('intake.filters.vendor')} name="vendor" value={value.vendor} onCommit={(vendor) => set({ vendor })} maxLength={200} w={150} />
      <FilterText label={t('intake.filters.product')} name="product" value={value.product} onCommit={(product) => set({ product })} maxLength={200} w={150} />
      <NativeSelect
        label={t('intake.filters.relevance')}
        name="relevance"
        value={value.relevance ?? ''}
        onChange={(event) => set({ relevance: optionalEnum(event.currentTarget.value, RELEVANCES) })}
        data={[any, ...RELEVANCES.map((r) => ({ value: r, label: t(`intake.relevance.${r}`) }))]}
      />
      <NativeSelect
        label={t('intake.filters.read')}
        name="read"
        value={value.read ?? ''}
        onChange={(event) => set({ read: optionalEnum(event.currentTarget.value, READ_FILTERS) })}
        data={[any, ...READ_FILTERS.map((r) => ({ value: r, label: t(`intake.readFilter.${r}`) }))]}
      />
      <NativeSelect
        label={t('intake.filters.state')}
        name="state"
        value={value.state ?? ''}
        onChange={(event) => set({ state: optionalEnum(event.currentTarget.value, STATES) })}
        data={[any, ...STATES.map((s) => ({ value: s, label: t(`intake.state.${s}`) }))]}
      />
      {filtered ? (
        <Button variant="default" mt={25} onClick={() => onChange({})} data-testid="reset-filters">
          {t('intake.filters.reset')}
        </Button>
      ) : null}
    </Group>
  );
}
