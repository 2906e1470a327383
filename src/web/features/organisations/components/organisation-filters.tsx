import { Group, NativeSelect } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FilterText } from '../../../components/filter-text';
import { optionalEnum } from '../../../lib/search-params';
import { ORGANISATION_KINDS, type OrganisationFilters } from '../api';

interface OrganisationFiltersProps {
  value: OrganisationFilters;
  onChange: (next: OrganisationFilters) => void;
}

export function OrganisationFiltersBar({ value, onChange }: OrganisationFiltersProps) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" mb="sm" align="flex-end" role="search">
      <FilterText
        label={t('common.search')}
        name="q"
        placeholder={t('organisation.searchPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={value.q}
        onCommit={(q) => onChange({ ...value, q })}
        w={280}
        pageSearch
      />
      <NativeSelect
        label={t('organisation.fields.kind')}
        name="kind"
        value={value.kind ?? ''}
        onChange={(event) =>
          onChange({ ...value, kind: optionalEnum(event.currentTarget.value, ORGANISATION_KINDS) })
        }
        data={[
          { value: '', label: t('common.all') },
          ...ORGANISATION_KINDS.map((kind) => ({ value: kind, label: t(`organisation.kind.${kind}`) })),
        ]}
      />
    </Group>
  );
}
