import { useState } from 'react';
import { Button, Group, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { topicsQuery } from '../api';
import { useAsk } from '../mutations';

const OWN = '__own__';

/** "Ask a question": a topic from the CERT's list or one's own, a subject and the question (Markdown). */
export function AskForm({ onDone }: { onDone?: () => void }) {
  const { t, i18n } = useTranslation();
  const topics = useQuery(topicsQuery());
  const ask = useAsk();
  const navigate = useNavigate();
  const [topicId, setTopicId] = useState<string | null>(null);
  const [ownTopic, setOwnTopic] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const en = i18n.language.startsWith('en');
  const options = [...(topics.data ?? []).map((x) => ({ value: x.id, label: en ? x.nameEn : x.nameNl })), { value: OWN, label: t('requests.ask.ownTopic') }];

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    ask.mutate(
      { ...(topicId && topicId !== OWN ? { topicId } : { topic: ownTopic }), subject, body, language: en ? 'en' : 'nl' },
      {
        onSuccess: (created) => {
          onDone?.();
          void navigate({ to: '/requests/$id', params: { id: created.id } });
        },
      },
    );
  };

  return (
    <form onSubmit={submit} aria-label={t('requests.ask.title')}>
      <Stack gap="sm">
        <ErrorAlert error={ask.error} />
        <Select label={t('requests.ask.topic')} data={options} value={topicId} onChange={setTopicId} required />
        {topicId === OWN ? (
          <TextInput label={t('requests.ask.ownTopic')} value={ownTopic} onChange={(e) => setOwnTopic(e.currentTarget.value)} required maxLength={120} />
        ) : null}
        <TextInput label={t('requests.ask.subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} required maxLength={200} />
        <Textarea
          label={t('requests.ask.body')}
          description={t('requests.markdownHint')}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          required
          autosize
          minRows={5}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={ask.isPending}>
            {t('requests.ask.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
