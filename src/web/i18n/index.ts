import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, nl } from './resources';
import { detectLanguage, isLanguage, storeLanguage, type Language } from './language';

function applyDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
}

export function initI18n(): typeof i18n {
  const language = detectLanguage();
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, nl: { translation: nl } },
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['nl', 'en'],
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  applyDocumentLanguage(language);
  i18n.on('languageChanged', applyDocumentLanguage);
  return i18n;
}

export function changeLanguage(language: Language): void {
  storeLanguage(language);
  void i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  const lng = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(lng) ? lng : 'nl';
}
