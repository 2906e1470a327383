import { useEffect, useState } from 'react';
import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { KINDS, LANGUAGES, type PublicationFilters as Filters } from '../api';

interface PublicationFiltersProps {
  value: Filters;
  onChange: (next: Filters) => void;
}

/** Search box and filters; every change goes to the URL (the page's search params). */
export function PublicationFilters({ value, onChange }: PublicationFiltersProps) {
  const { t } = useTranslation();
  const [q, setQ] = useState(value.q ?? '');
  const [debounced] = useDebouncedValue(q, 300);
  useEffect(() => {
    if ((debounced.trim() || undefined) !== value.q) onChange({ ...value, q: debounced.trim() || undefined });
    // Only the typed text drives this; the other filters are passed through as they are.
  }, [debounced]);
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });
  const any = Object.values(value).some((v) => v !== undefined);
  return (
    <Group gap="sm" align="flex-end" mb="md" wrap="wrap" role="search">
      <TextInput
        label={t('publications.searchLabel')}
        placeholder={t('publications.searchPlaceholder')}
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        name="q"
        type="search"
        maxLength={200}
        style={{ flex: '1 1 18rem' }}
      />
      <Select
        label={t('publications.filters.kind')}
        data={KINDS.map((k) => ({ value: k, label: t(`publications.kind.${k}`) }))}
        value={value.kind ?? null}
        onChange={(k) => set({ kind: KINDS.find((x) => x === k) })}
        clearable
        w={160}
      />
      <TextInput
        label={t('publications.filters.tag')}
        value={value.tag ?? ''}
        onChange={(e) => set({ tag: e.currentTarget.value.trim().toLowerCase() || undefined })}
        w={160}
        maxLength={40}
      />
      <Select
        label={t('publications.filters.language')}
        data={LANGUAGES.map((l) => ({ value: l, label: t(`publications.language.${l}`) }))}
        value={value.language ?? null}
        onChange={(l) => set({ language: LANGUAGES.find((x) => x === l) })}
        clearable
        w={150}
      />
      {any ? (
        <Button
          variant="subtle"
          onClick={() => {
            setQ('');
            onChange({});
          }}
        >
          {t('publications.filters.clear')}
        </Button>
      ) : null}
    </Group>
  );
}
