import { useMemo, useState } from 'react';
import { MultiSelect } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { organisationSearchQuery } from '../../organisations/api';
import { useOrganisationsById } from '../../organisations/use-organisations-by-id';

interface RecipientsSelectProps {
  value: string[];
  onChange: (ids: string[]) => void;
  required: boolean;
  error?: string;
}

/** The organisations a TLP:RED (or AMBER) product is addressed to, searched on the server. */
export function RecipientsSelect({ value, onChange, required, error }: RecipientsSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const query = useQuery(organisationSearchQuery(debounced, 50));
  const chosen = useOrganisationsById(value);

  // The chosen organisations stay in the options (with their names) even when the search hides them.
  const options = useMemo(() => {
    const byId = new Map<string, string>();
    for (const org of chosen.organisations) byId.set(org.id, org.name);
    for (const org of query.data?.items ?? []) byId.set(org.id, org.name);
    for (const id of value) if (!byId.has(id)) byId.set(id, id);
    return [...byId].map(([id, name]) => ({ value: id, label: name }));
  }, [chosen.organisations, query.data, value]);

  return (
    <MultiSelect
      label={t('advisories.editor.recipients')}
      description={required ? t('advisories.editor.recipientsRequired') : t('advisories.editor.recipientsOptional')}
      placeholder={t('advisories.editor.recipientsSearch')}
      name="recipients"
      required={required}
      withAsterisk={false}
      searchable
      hidePickedOptions
      data={options}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by the search text; filtering again would hide its matches.
      filter={({ options: all }) => all}
      nothingFoundMessage={query.isFetching ? t('common.loading') : t('palette.nothingFound')}
      error={error}
      data-testid="recipients"
    />
  );
}
