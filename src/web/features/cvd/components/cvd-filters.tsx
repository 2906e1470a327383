import { useTranslation } from 'react-i18next';
import { CaseFilters } from '../../../components/case-filters';
import { STATUS_FILTERS } from '../api';
import type { CvdSearch } from '../search';

interface CvdFiltersProps {
  value: CvdSearch;
  onChange: (next: CvdSearch) => void;
}

/** A search on reference, title and what the report concerns, and the status (or open / closed). */
export function CvdFilters({ value, onChange }: CvdFiltersProps) {
  const { t } = useTranslation();
  return (
    <CaseFilters
      ns="cvd"
      q={value.q}
      status={value.status}
      filters={STATUS_FILTERS}
      label={(s) => (s === 'open' ? t('cvd.statusOpen') : s === 'closed' ? t('cvd.statusClosed') : t(`cvd.status.${s}`))}
      onQuery={(q) => onChange({ ...value, q })}
      onStatus={(status) => onChange({ ...value, status })}
    />
  );
}
