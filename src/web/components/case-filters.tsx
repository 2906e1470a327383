import type { ReactNode } from 'react';
import { Group, NativeSelect } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FilterText } from './filter-text';
import { optionalEnum } from '../lib/search-params';

interface CaseFiltersProps<F extends string> {
  /** The feature's translation namespace: its keys filters, searchLabel, searchPlaceholder and fields.status. */
  ns: 'incidents' | 'cvd';
  q: string | undefined;
  status: F | undefined;
  /** Every value the status select offers, in order: groups such as 'open' first, then the statuses. */
  filters: readonly F[];
  /** The label of each value (the feature's own translation keys are typed, so the feature names them). */
  label: (value: F) => string;
  onQuery: (q: string | undefined) => void;
  onStatus: (status: F | undefined) => void;
  children?: ReactNode;
}

/** The filter bar of a case list (incidents, CVD): a search and a status, plus what the feature adds. */
export function CaseFilters<F extends string>({ ns, q, status, filters, label, onQuery, onStatus, children }: CaseFiltersProps<F>) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" mb="sm" align="flex-end" wrap="wrap" role="search" aria-label={t(`${ns}.filters`)}>
      <FilterText
        label={t(`${ns}.searchLabel`)}
        name="q"
        placeholder={t(`${ns}.searchPlaceholder`)}
        leftSection={<IconSearch size={14} aria-hidden />}
        value={q}
        onCommit={onQuery}
        maxLength={200}
        w={260}
        pageSearch
      />
      <NativeSelect
        label={t(`${ns}.fields.status`)}
        name="status"
        value={status ?? ''}
        onChange={(event) => onStatus(optionalEnum(event.currentTarget.value, filters))}
        data={[{ value: '', label: t('common.all') }, ...filters.map((value) => ({ value, label: label(value) }))]}
      />
      {children}
    </Group>
  );
}
