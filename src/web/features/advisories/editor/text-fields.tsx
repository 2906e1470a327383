import { Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { EditorText } from './editor-model';

interface TextFieldsProps {
  lang: 'nl' | 'en';
  value: EditorText;
  onChange: (patch: Partial<EditorText>) => void;
  /** The error message for a field path of the API, if any. */
  issue: (path: string) => string | undefined;
}

/** Title, summary, body and advice in one language. Body and advice are Markdown. */
export function TextFields({ lang, value, onChange, issue }: TextFieldsProps) {
  const { t } = useTranslation();
  const path = (field: keyof EditorText) => `content.${lang}.${field}`;
  return (
    <Stack gap="sm" lang={lang}>
      <TextInput
        label={t('advisories.fields.title')}
        name={`${lang}.title`}
        required={lang === 'nl'}
        // The editor's labels carry no asterisk, so each reads as the plain field name; a missing
        // required value is reported under the field and in the preview's list of problems.
        withAsterisk={false}
        maxLength={300}
        value={value.title}
        onChange={(event) => onChange({ title: event.currentTarget.value })}
        error={issue(path('title'))}
      />
      <Textarea
        label={t('advisories.fields.summary')}
        name={`${lang}.summary`}
        autosize
        minRows={2}
        maxRows={5}
        maxLength={2000}
        value={value.summary}
        onChange={(event) => onChange({ summary: event.currentTarget.value })}
        error={issue(path('summary'))}
      />
      <Textarea
        label={t('advisories.fields.body')}
        description={t('advisories.editor.markdownHelp')}
        name={`${lang}.body`}
        autosize
        minRows={8}
        maxRows={24}
        value={value.body}
        onChange={(event) => onChange({ body: event.currentTarget.value })}
        error={issue(path('body'))}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
      />
      <Textarea
        label={t('advisories.fields.advice')}
        description={t('advisories.editor.markdownHelp')}
        name={`${lang}.advice`}
        autosize
        minRows={5}
        maxRows={18}
        value={value.advice}
        onChange={(event) => onChange({ advice: event.currentTarget.value })}
        error={issue(path('advice'))}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
      />
    </Stack>
  );
}
