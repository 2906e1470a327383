import { useEffect, useState } from 'react';
import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
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
  const [text, setText] = useState(value.q ?? '');
  const commit = useDebouncedCallback((next: string) => {
    const q = next.trim() || undefined;
    if (q !== value.q) onChange({ ...value, q });
  }, 300);

  // Back/forward navigation changes the URL underneath us: mirror it into the input.
  useEffect(() => {
    setText(value.q ?? '');
  }, [value.q]);

  return (
    <Group gap="sm" mb="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('zdn.filters')}>
      <TextInput
        label={t('common.search')}
        name="q"
        placeholder={t('zdn.searchPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={text}
        maxLength={500}
        onChange={(event) => {
          setText(event.currentTarget.value);
          commit(event.currentTarget.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit.flush();
        }}
        w={320}
        data-page-search
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
