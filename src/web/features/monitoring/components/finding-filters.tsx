import { useMemo } from 'react';
import { Checkbox, Group, NativeSelect } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { FilterText } from '../../../components/filter-text';
import { optionalEnum } from '../../../lib/search-params';
import { organisationQuery, organisationSearchQuery } from '../../organisations/api';
import { FINDING_STATUS_LIST, FINDING_TYPES, SEVERITY_LIST } from '../api';
import type { FindingSearch } from '../search';
import { useFindingTypeLabel } from './monitoring-badges';

interface FindingFiltersProps {
  value: FindingSearch;
  onChange: (next: FindingSearch) => void;
  /** The CERT filters on a participant; a participant sees its own findings only. */
  withOrganisation: boolean;
  /** Types seen in the counts that the interface has no label for (a source's own), offered too. */
  extraTypes?: readonly string[];
}

// A sector CERT has tens to a few hundred participants: the first 200 in a plain select are enough.
const ORGANISATIONS = 200;

function OrganisationFilter({ value, onChange }: { value: string | undefined; onChange: (id: string | undefined) => void }) {
  const { t } = useTranslation();
  const list = useQuery(organisationSearchQuery('', ORGANISATIONS, 'participant'));
  const listed = list.data?.items.some((org) => org.id === value) ?? false;
  // A participant chosen by a link (e.g. from the overview) that is not among the first 200 keeps its name.
  const chosen = useQuery({ ...organisationQuery(value ?? ''), enabled: value !== undefined && list.isSuccess && !listed });
  const data = useMemo(() => {
    const options = (list.data?.items ?? []).map((org) => ({ value: org.id, label: org.name }));
    if (value && !listed) options.unshift({ value, label: chosen.data?.name ?? value });
    return [{ value: '', label: t('monitoring.allOrganisations') }, ...options];
  }, [list.data, listed, value, chosen.data, t]);
  return (
    <NativeSelect
      label={t('monitoring.fields.organisation')}
      name="organisationId"
      value={value ?? ''}
      onChange={(event) => onChange(event.currentTarget.value || undefined)}
      data={data}
      w={240}
    />
  );
}

/** Status, open only, severity, type, participant (for the CERT) and a search on the address or name. */
export function FindingFilters({ value, onChange, withOrganisation, extraTypes = [] }: FindingFiltersProps) {
  const { t } = useTranslation();
  const typeLabel = useFindingTypeLabel();

  const types = useMemo(() => {
    const known: string[] = [...FINDING_TYPES];
    const others = [...new Set([...extraTypes, ...(value.type ? [value.type] : [])])].filter((type) => !known.includes(type));
    return [...known, ...others].map((type) => ({ value: type, label: typeLabel(type) })).sort((a, b) => a.label.localeCompare(b.label));
  }, [extraTypes, value.type, typeLabel]);

  return (
    <Group gap="sm" mb="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('monitoring.filters')}>
      <FilterText
        label={t('monitoring.searchLabel')}
        name="q"
        placeholder={t('monitoring.searchPlaceholder')}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={value.q}
        onCommit={(q) => onChange({ ...value, q })}
        maxLength={253}
        w={260}
        pageSearch
      />
      {withOrganisation ? <OrganisationFilter value={value.organisationId} onChange={(organisationId) => onChange({ ...value, organisationId })} /> : null}
      <NativeSelect
        label={t('monitoring.fields.status')}
        name="status"
        value={value.status ?? ''}
        onChange={(event) => onChange({ ...value, status: optionalEnum(event.currentTarget.value, FINDING_STATUS_LIST) })}
        data={[{ value: '', label: t('common.all') }, ...FINDING_STATUS_LIST.map((status) => ({ value: status, label: t(`monitoring.status.${status}`) }))]}
      />
      <NativeSelect
        label={t('monitoring.fields.severity')}
        name="severity"
        value={value.severity ?? ''}
        onChange={(event) => onChange({ ...value, severity: optionalEnum(event.currentTarget.value, SEVERITY_LIST) })}
        data={[{ value: '', label: t('common.all') }, ...SEVERITY_LIST.map((severity) => ({ value: severity, label: t(`monitoring.severity.${severity}`) }))]}
      />
      <NativeSelect
        label={t('monitoring.fields.type')}
        name="type"
        value={value.type ?? ''}
        onChange={(event) => onChange({ ...value, type: event.currentTarget.value || undefined })}
        data={[{ value: '', label: t('common.all') }, ...types]}
        w={260}
      />
      <Checkbox
        label={t('monitoring.openOnly')}
        name="open"
        checked={value.open === true}
        onChange={(event) => onChange({ ...value, open: event.currentTarget.checked ? true : undefined })}
        mb={8}
      />
    </Group>
  );
}
