import { useTranslation } from 'react-i18next';
import { durationParts } from './duration';

/** Formats seconds as "45 s", "12 min", "1 h 5 min" or "2 d 3 h" in the interface language. */
export function useDuration(): (seconds: number | null) => string {
  const { t } = useTranslation();
  return (seconds) => {
    if (seconds === null) return '—';
    const parts = durationParts(seconds);
    switch (parts.unit) {
      case 'seconds':
        return t('alertResponses.duration.seconds', { count: parts.seconds });
      case 'minutes':
        return t('alertResponses.duration.minutes', { count: parts.minutes });
      case 'hours':
        return t('alertResponses.duration.hours', { hours: parts.hours, minutes: parts.minutes });
      case 'days':
        return t('alertResponses.duration.days', { days: parts.days, hours: parts.hours });
    }
  };
}
