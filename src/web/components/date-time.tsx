import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, intlLocale } from '../lib/format';

interface DateTimeProps {
  value: string | null | undefined;
  /** Render only the calendar date (for date-only fields such as membership dates). */
  dateOnly?: boolean;
  fallback?: string;
}

export function DateTime({ value, dateOnly = false, fallback = '—' }: DateTimeProps) {
  const { i18n } = useTranslation();
  if (!value) return <>{fallback}</>;
  const locale = intlLocale(i18n.language);
  const text = dateOnly ? formatDate(value, locale) : formatDateTime(value, locale);
  return (
    <time dateTime={value} className="nowrap">
      {text}
    </time>
  );
}
