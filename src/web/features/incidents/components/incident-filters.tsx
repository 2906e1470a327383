import { Group, NativeSelect } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FilterText } from '../../../components/filter-text';
import { optionalEnum } from '../../../lib/search-params';
import { SEVERITY_LIST, STATUS_FILTERS, STATUS_LIST } from '../api';
import type { IncidentSearch } from '../search';

interface IncidentFiltersProps {
  value: IncidentSearch;
  onChange: (next: IncidentSearch) => void;
}

/** A search on reference and title, the status (or "open") and the severity. */
export function IncidentFilters({ value, onChange }: IncidentFiltersProps) {
  const { t } = useTranslation();

  return (
    <Group gap="sm" mb="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('incidents.filters')}>
      <FilterText
        label={t('incidents.searchLabel')}
        name="q"
        placeholder={t('incidents.searchPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={value.q}
        onCommit={(q) => onChange({ ...value, q })}
        maxLength={200}
        w={260}
        pageSearch
      />
      <NativeSelect
        label={t('incidents.fields.status')}
        name="status"
        value={value.status ?? ''}
        onChange={(event) => onChange({ ...value, status: optionalEnum(event.currentTarget.value, STATUS_FILTERS) })}
        data={[
          { value: '', label: t('common.all') },
          { value: 'open', label: t('incidents.statusOpen') },
          ...STATUS_LIST.map((status) => ({ value: status, label: t(`incidents.status.${status}`) })),
        ]}
      />
      <NativeSelect
        label={t('incidents.fields.severity')}
        name="severity"
        value={value.severity ?? ''}
        onChange={(event) => onChange({ ...value, severity: optionalEnum(event.currentTarget.value, SEVERITY_LIST) })}
        data={[{ value: '', label: t('common.all') }, ...SEVERITY_LIST.map((severity) => ({ value: severity, label: t(`incidents.severity.${severity}`) }))]}
      />
    </Group>
  );
}
