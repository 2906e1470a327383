import { useState } from 'react';
import { Tabs, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { usePreview } from '../mutations';

interface MarkdownEditorProps {
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

/** Markdown with a preview the server renders and sanitises exactly as it will print in the PDF. */
export function MarkdownEditor({ value, onChange, error }: MarkdownEditorProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('write');
  const preview = usePreview();
  return (
    <Tabs
      value={tab}
      onChange={(next) => {
        setTab(next);
        if (next === 'preview' && value.trim()) preview.mutate(value);
      }}
    >
      <Tabs.List>
        <Tabs.Tab value="write">{t('publications.editor.write')}</Tabs.Tab>
        <Tabs.Tab value="preview">{t('publications.editor.preview')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="write" pt="xs">
        <Textarea
          label={t('publications.editor.label')}
          name="markdown"
          autosize
          minRows={10}
          maxRows={30}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
      </Tabs.Panel>
      <Tabs.Panel value="preview" pt="xs">
        <ErrorAlert error={preview.error} />
        {preview.data?.html && value.trim() ? (
          // Sanitised by the server (lib/markdown.ts): the same HTML the PDF is printed from.
          <div className="advisory-html" data-testid="publication-preview" dangerouslySetInnerHTML={{ __html: preview.data.html }} />
        ) : (
          <Text c="dimmed" size="sm">
            {t('publications.editor.previewEmpty')}
          </Text>
        )}
      </Tabs.Panel>
    </Tabs>
  );
}
