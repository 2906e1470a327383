import { FileInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MAX_PDF_BYTES } from '../api';

interface PdfFileInputProps {
  value: File | null;
  onChange: (file: File | null) => void;
  error?: string;
}

/** What the browser can check before sending: a PDF by type and size (the server checks the bytes). */
export function pdfFileError(
  file: File | null,
  t: (key: 'publications.form.fileNotPdf' | 'publications.form.fileTooLarge' | 'publications.form.required') => string,
): string | undefined {
  if (!file) return t('publications.form.required');
  if (file.type && file.type !== 'application/pdf') return t('publications.form.fileNotPdf');
  if (file.size > MAX_PDF_BYTES) return t('publications.form.fileTooLarge');
  return undefined;
}

export function PdfFileInput({ value, onChange, error }: PdfFileInputProps) {
  const { t } = useTranslation();
  return (
    <FileInput
      label={t('publications.form.file')}
      placeholder={t('publications.form.filePlaceholder')}
      accept="application/pdf"
      name="file"
      clearable
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}
