import { useMemo, useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { organisationSearchQuery } from '../../organisations/api';

interface OrganisationPickerProps {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  /** The organisation kinds that fit (the server refuses others). */
  kinds: readonly string[];
  /** Organisations already taking part, left out. */
  exclude: ReadonlySet<string>;
  error?: string;
}

/** One organisation, searched on the server as the analyst types (GET /api/v1/organisations?q=…). */
export function OrganisationPicker({ label, value, onChange, kinds, exclude, error }: OrganisationPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const query = useQuery(organisationSearchQuery(debounced, 50));
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);

  // The chosen one stays among the options (with its name) even when a new search hides it.
  const options = useMemo(() => {
    const found = (query.data?.items ?? []).filter((o) => kinds.includes(o.kind) && !exclude.has(o.id)).map((o) => ({ value: o.id, label: o.name }));
    return chosen && value === chosen.value && !found.some((o) => o.value === chosen.value) ? [chosen, ...found] : found;
  }, [query.data, kinds, exclude, chosen, value]);

  return (
    <Select
      label={label}
      placeholder={t('cvd.addParty.searchOrganisation')}
      name="organisationId"
      searchable
      clearable
      data={options}
      value={value}
      onChange={(id, option) => {
        setChosen(id ? option : null);
        onChange(id);
      }}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by the search text; filtering again would hide its matches.
      filter={({ options: all }) => all}
      nothingFoundMessage={query.isFetching ? t('common.loading') : t('cvd.addParty.noOrganisation')}
      error={error}
      w={320}
      data-testid="cvd-organisation-picker"
    />
  );
}
