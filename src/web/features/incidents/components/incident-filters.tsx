import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CaseFilters } from '../../../components/case-filters';
import { optionalEnum } from '../../../lib/search-params';
import { SEVERITY_LIST, STATUS_FILTERS } from '../api';
import type { IncidentSearch } from '../search';

interface IncidentFiltersProps {
  value: IncidentSearch;
  onChange: (next: IncidentSearch) => void;
}

/** A search on reference and title, the status (or "open") and the severity. */
export function IncidentFilters({ value, onChange }: IncidentFiltersProps) {
  const { t } = useTranslation();

  return (
    <CaseFilters
      ns="incidents"
      q={value.q}
      status={value.status}
      filters={STATUS_FILTERS}
      label={(s) => (s === 'open' ? t('incidents.statusOpen') : t(`incidents.status.${s}`))}
      onQuery={(q) => onChange({ ...value, q })}
      onStatus={(status) => onChange({ ...value, status })}
    >
      <NativeSelect
        label={t('incidents.fields.severity')}
        name="severity"
        value={value.severity ?? ''}
        onChange={(event) => onChange({ ...value, severity: optionalEnum(event.currentTarget.value, SEVERITY_LIST) })}
        data={[{ value: '', label: t('common.all') }, ...SEVERITY_LIST.map((severity) => ({ value: severity, label: t(`incidents.severity.${severity}`) }))]}
      />
    </CaseFilters>
  );
}
