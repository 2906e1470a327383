import { useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { organisationSearchQuery, type Organisation } from '../../organisations/api';

interface OrganisationPickerProps {
  label: string;
  value: Organisation | null;
  onChange: (organisation: Organisation | null) => void;
}

/** Searchable organisation select backed by the server's `q` search. */
export function OrganisationPicker({ label, value, onChange }: OrganisationPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const query = useQuery(organisationSearchQuery(debounced, 20));
  const found = query.data?.items ?? [];
  // Keep the chosen organisation selectable even when a later search no longer returns it.
  const organisations = value && !found.some((org) => org.id === value.id) ? [value, ...found] : found;
  const options = organisations.map((org) => ({ value: org.id, label: org.name }));

  return (
    <Select
      label={label}
      name="organisationId"
      required
      searchable
      placeholder={t('users.organisationSearch')}
      data={options}
      value={value?.id ?? null}
      onChange={(id) => onChange(organisations.find((org) => org.id === id) ?? null)}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by the search text; filtering again would hide fuzzy matches.
      filter={({ options: all }) => all}
      nothingFoundMessage={query.isFetching ? t('common.loading') : t('palette.nothingFound')}
      data-testid="organisation-picker"
    />
  );
}
