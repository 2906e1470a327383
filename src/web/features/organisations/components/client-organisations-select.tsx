import { useMemo, useState } from 'react';
import { MultiSelect } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { organisationSearchQuery } from '../api';
import { useOrganisationsById } from '../use-organisations-by-id';

interface ClientOrganisationsSelectProps {
  value: string[];
  onChange: (ids: string[]) => void;
  disabled?: boolean;
}

/** Multi-select of participant organisations, searched on the server, for a partner's clients. */
export function ClientOrganisationsSelect({
  value,
  onChange,
  disabled = false,
}: ClientOrganisationsSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const query = useQuery(organisationSearchQuery(debounced, 50, 'participant'));
  const chosen = useOrganisationsById(value);

  // The chosen clients stay in the options (with their names) even when the search hides them.
  const options = useMemo(() => {
    const byId = new Map<string, string>();
    for (const org of chosen.organisations) byId.set(org.id, org.name);
    for (const org of query.data?.items ?? []) byId.set(org.id, org.name);
    for (const id of value) if (!byId.has(id)) byId.set(id, id);
    return [...byId].map(([id, name]) => ({ value: id, label: name }));
  }, [chosen.organisations, query.data, value]);

  return (
    <MultiSelect
      label={t('organisationEdit.clients')}
      description={t('organisationEdit.clientsHelp')}
      placeholder={t('organisationEdit.clientsSearch')}
      name="clientOrganisationIds"
      searchable
      hidePickedOptions
      disabled={disabled}
      data={options}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by the search text; filtering again would hide its matches.
      filter={({ options: all }) => all}
      nothingFoundMessage={query.isFetching ? t('common.loading') : t('palette.nothingFound')}
      data-testid="client-organisations"
    />
  );
}
