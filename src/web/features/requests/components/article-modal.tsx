import { useEffect, useState } from 'react';
import { Button, Group, Modal, SegmentedControl, Stack, TextInput, Textarea } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { fetchDraft } from '../api';
import { useCreateArticle } from '../mutations';

/**
 * "Make article": the question and answer, with the organisation's and people's names and every
 * mail address already stripped by the server; the analyst edits before publishing.
 */
export function ArticleModal({ requestId, opened, onClose }: { requestId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateArticle();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [tags, setTags] = useState('');
  const [language, setLanguage] = useState<'nl' | 'en'>('nl');
  const [tlp, setTlp] = useState<'GREEN' | 'CLEAR'>('GREEN');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) return;
    fetchDraft(requestId).then(
      (d) => {
        setTitle(d.title);
        setBody(d.body);
        setTags(d.tags.join(', '));
        setLanguage(d.language);
      },
      (err: unknown) => setError(err),
    );
  }, [opened, requestId]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        title,
        body,
        tags: tags
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        language,
        tlp,
        sourceRequestId: requestId,
      },
      { onSuccess: (a) => void navigate({ to: '/knowledge/$id', params: { id: a.id } }) },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('requests.article.title')} size="xl">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <ErrorAlert error={error ?? create.error} />
          <TextInput label={t('requests.article.fieldTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
          <Textarea
            label={t('requests.article.body')}
            description={t('requests.article.anonymiseHint')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            minRows={10}
            required
          />
          <TextInput label={t('requests.article.tags')} value={tags} onChange={(e) => setTags(e.currentTarget.value)} />
          <Group>
            <SegmentedControl
              aria-label={t('requests.article.language')}
              value={language}
              onChange={(v) => setLanguage(v as 'nl' | 'en')}
              data={[
                { value: 'nl', label: 'Nederlands' },
                { value: 'en', label: 'English' },
              ]}
            />
            <SegmentedControl
              aria-label="TLP"
              value={tlp}
              onChange={(v) => setTlp(v as 'GREEN' | 'CLEAR')}
              data={[
                { value: 'GREEN', label: 'TLP:GREEN' },
                { value: 'CLEAR', label: 'TLP:CLEAR' },
              ]}
            />
          </Group>
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              {t('requests.article.publish')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
