import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n';
import { isLanguage, LANGUAGES } from '../i18n/language';

const NAMES: Record<(typeof LANGUAGES)[number], string> = { nl: 'Nederlands', en: 'English' };

/** Interface language for this browser (stored in localStorage, not on the account). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      size="xs"
      aria-label={t('common.language')}
      name="language"
      data-testid="language-switch"
      value={i18n.resolvedLanguage ?? i18n.language}
      onChange={(event) => {
        const value = event.currentTarget.value;
        if (isLanguage(value)) changeLanguage(value);
      }}
      data={LANGUAGES.map((lng) => ({ value: lng, label: NAMES[lng] }))}
    />
  );
}
