import { useEffect, useState } from 'react';
import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { optionalEnum } from '../../../lib/search-params';
import { ORGANISATION_KINDS, type OrganisationFilters } from '../api';

interface OrganisationFiltersProps {
  value: OrganisationFilters;
  onChange: (next: OrganisationFilters) => void;
}

export function OrganisationFiltersBar({ value, onChange }: OrganisationFiltersProps) {
  const { t } = useTranslation();
  const [q, setQ] = useState(value.q ?? '');

  // Typing updates the URL only after a pause, so history is not flooded with keystrokes.
  const commitQ = useDebouncedCallback((text: string) => {
    const next = text.trim() || undefined;
    if (next !== value.q) onChange({ ...value, q: next });
  }, 300);

  // Back/forward navigation changes the URL underneath us: mirror it into the input.
  useEffect(() => {
    setQ(value.q ?? '');
  }, [value.q]);

  return (
    <Group gap="sm" mb="sm" align="flex-end" role="search">
      <TextInput
        label={t('common.search')}
        name="q"
        placeholder={t('organisation.searchPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={q}
        onChange={(event) => {
          setQ(event.currentTarget.value);
          commitQ(event.currentTarget.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commitQ.flush();
        }}
        w={280}
        data-page-search
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
