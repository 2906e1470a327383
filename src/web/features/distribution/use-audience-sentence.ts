import { useTranslation } from 'react-i18next';

export interface AudienceCountsValue {
  contacts: number;
  organisations: number;
  encrypted: number;
  held: number;
}

/** "312 contacts in 96 organisations; 41 encrypted; 3 held back": one sentence, as plain text. */
export function useAudienceSentence(): (counts: AudienceCountsValue) => string {
  const { t } = useTranslation();
  return (counts) =>
    [
      `${t('distribution.counts.contacts', { count: counts.contacts })} ${t('distribution.counts.inOrganisations', { count: counts.organisations })}`,
      t('distribution.counts.encrypted', { count: counts.encrypted }),
      t('distribution.counts.held', { count: counts.held }),
    ].join('; ');
}
