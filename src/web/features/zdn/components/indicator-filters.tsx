import { Group, NativeSelect } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FilterText } from '../../../components/filter-text';
import { optionalEnum } from '../../../lib/search-params';
import { INDICATOR_TYPES } from '../api';
import type { IndicatorSearch } from '../search';

interface IndicatorFiltersProps {
  value: IndicatorSearch;
  onChange: (next: IndicatorSearch) => void;
}

/** Search on the value (after a pause in typing, or on Enter) and the indicator type. */
export function IndicatorFilters({ value, onChange }: IndicatorFiltersProps) {
  const { t } = useTranslation();

  return (
    <Group gap="sm" mb="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('zdn.filters')}>
      <FilterText
        label={t('common.search')}
        name="q"
        placeholder={t('zdn.searchPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={value.q}
        onCommit={(q) => onChange({ ...value, q })}
        maxLength={500}
        w={320}
        pageSearch
      />
      <NativeSelect
        label={t('zdn.fields.type')}
        name="type"
        value={value.type ?? ''}
        onChange={(event) => onChange({ ...value, type: optionalEnum(event.currentTarget.value, INDICATOR_TYPES) })}
        data={[{ value: '', label: t('common.all') }, ...INDICATOR_TYPES.map((type) => ({ value: type, label: t(`zdn.types.${type}`) }))]}
      />
    </Group>
  );
}
