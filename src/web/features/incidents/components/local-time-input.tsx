import { TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { amsterdamLocalToIso, isoToAmsterdamLocal } from '../../../lib/format';

interface LocalTimeInputProps extends Omit<TextInputProps, 'value' | 'onChange' | 'type'> {
  /** A `datetime-local` value (YYYY-MM-DDTHH:mm), read as Dutch time. */
  value: string;
  onChange: (value: string) => void;
}

/** A date and time field in Dutch time (Europe/Amsterdam), wherever the browser is. */
export function LocalTimeInput({ value, onChange, description, ...props }: LocalTimeInputProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      {...props}
      type="datetime-local"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      description={description ?? t('incidents.amsterdamTime')}
    />
  );
}

/** The ISO time of a `datetime-local` value in Dutch time, or undefined when empty or unreadable. */
export function localToIso(value: string): string | undefined {
  return value ? (amsterdamLocalToIso(value) ?? undefined) : undefined;
}

/** Now, as a `datetime-local` value in Dutch time. */
export function nowLocal(): string {
  return isoToAmsterdamLocal(new Date().toISOString());
}

export { isoToAmsterdamLocal };
