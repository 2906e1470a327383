import { useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, Select, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { cannedQuery, requestQuery, type InfoRequest, type RequestMessage } from '../api';
import { useAnswer, useDiscardHeld, useFollowUp, useNote, usePatchRequest, useReleaseHeld } from '../mutations';
import { ArticleModal } from '../components/article-modal';
import { SlaBadge, StatusBadge } from '../components/request-badges';
import { useRequestsLive } from '../use-requests-live';
import { RequestChat } from '../../chat/request-chat';

const routeApi = getRouteApi('/_app/requests/$id');

/** One request: the thread; the participant adds to the question, the CERT answers, notes, assigns and closes. */
export function RequestPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const user = useCurrentUser();
  const isCert = can(user.role, 'requests:answer');
  const query = useQuery(requestQuery(id));
  useRequestsLive();
  const r = query.data;
  if (!r) return <ErrorAlert error={query.error} />;

  return (
    <>
      <PageHeader
        title={`${r.reference}: ${r.subject}`}
        description={
          <Group gap="xs">
            <StatusBadge status={r.status} />
            <SlaBadge sla={r.sla} />
            <Text size="sm">
              {t('requests.fields.due')}: <DateTime value={r.sla.due} />
            </Text>
            <Text size="sm">· {r.topic}</Text>
            {isCert ? <Text size="sm">· {r.organisationName}</Text> : null}
            {isCert && r.askerEmail ? (
              <Text size="sm">
                · {r.askerName ?? ''} &lt;{r.askerEmail}&gt;
              </Text>
            ) : null}
          </Group>
        }
      />
      {r.channel === 'chat' ? (
        <Stack gap="sm" mb="lg">
          <RequestChat requestId={r.id} />
        </Stack>
      ) : null}
      <Stack gap="sm" mb="lg">
        {r.messages.map((m) => (
          <MessageCard key={m.id} m={m} request={r} isCert={isCert} />
        ))}
      </Stack>
      {isCert ? <CertActions r={r} userId={user.id} /> : can(user.role, 'requests:ask') ? <FollowUp id={r.id} /> : null}
    </>
  );
}

function MessageCard({ m, request, isCert }: { m: RequestMessage; request: InfoRequest; isCert: boolean }) {
  const { t } = useTranslation();
  const release = useReleaseHeld(request.id);
  const discard = useDiscardHeld(request.id);
  const bg = m.kind === 'note' ? 'var(--mantine-color-yellow-light)' : m.held ? 'var(--mantine-color-orange-light)' : undefined;
  return (
    <Card withBorder padding="sm" style={{ background: bg }}>
      <Group justify="space-between" mb={4}>
        <Group gap="xs">
          <Badge variant="light" color={m.kind === 'answer' ? 'green' : m.kind === 'note' ? 'yellow' : 'blue'}>
            {t(`requests.kind.${m.kind}`)}
          </Badge>
          <Text size="sm" fw={600}>
            {m.author ?? '—'}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`requests.channel.${m.channel}`)}
            {m.pgp ? ` · PGP: ${m.pgp}` : ''}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          <DateTime value={m.createdAt} />
        </Text>
      </Group>
      {m.held ? (
        <Alert color="orange" mb="xs">
          {t('requests.held.messageHint')}
        </Alert>
      ) : null}
      {/* bodyHtml is the server's sanitised Markdown rendering (src/lib/markdown.ts). */}
      <div className="markdown-body" dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
      {m.held && isCert ? (
        <Group mt="xs">
          <Button size="xs" loading={release.isPending} onClick={() => release.mutate(m.id)}>
            {t('requests.held.release')}
          </Button>
          <Button size="xs" color="red" variant="light" loading={discard.isPending} onClick={() => discard.mutate(m.id)}>
            {t('requests.held.discard')}
          </Button>
        </Group>
      ) : null}
    </Card>
  );
}

function FollowUp({ id }: { id: string }) {
  const { t } = useTranslation();
  const follow = useFollowUp(id);
  const [body, setBody] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        follow.mutate(body, { onSuccess: () => setBody('') });
      }}
    >
      <Stack gap="xs">
        <ErrorAlert error={follow.error} />
        <Textarea
          label={t('requests.followUp')}
          description={t('requests.markdownHint')}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          autosize
          minRows={3}
          required
        />
        <Group justify="flex-end">
          <Button type="submit" loading={follow.isPending}>
            {t('requests.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CertActions({ r, userId }: { r: InfoRequest; userId: string }) {
  const { t } = useTranslation();
  const answer = useAnswer(r.id);
  const note = useNote(r.id);
  const patch = usePatchRequest(r.id);
  const canned = useQuery(cannedQuery());
  const [answerBody, setAnswerBody] = useState('');
  const [close, setClose] = useState(false);
  const [noteBody, setNoteBody] = useState('');
  const [article, setArticle] = useState(false);

  return (
    <Stack gap="md">
      <ErrorAlert error={answer.error ?? note.error ?? patch.error} />
      <Group>
        {r.assignee?.id === userId ? (
          <Button variant="default" onClick={() => patch.mutate({ assigneeId: null })}>
            {t('requests.unassign')}
          </Button>
        ) : (
          <Button variant="default" onClick={() => patch.mutate({ assigneeId: userId })}>
            {t('requests.assignMe')}
          </Button>
        )}
        {r.status === 'closed' ? (
          <Button variant="default" onClick={() => patch.mutate({ status: 'new' })}>
            {t('requests.reopen')}
          </Button>
        ) : (
          <Button variant="default" onClick={() => patch.mutate({ status: 'closed' })}>
            {t('requests.close')}
          </Button>
        )}
        {r.messages.some((m) => m.kind === 'answer') ? (
          <Button variant="light" onClick={() => setArticle(true)}>
            {t('requests.article.make')}
          </Button>
        ) : null}
        <Text size="sm">
          {t('requests.fields.assignee')}: {r.assignee?.name ?? '—'}
        </Text>
      </Group>
      {r.articles?.length ? (
        <Text size="sm">
          {t('requests.article.made')}{' '}
          {r.articles.map((a) => (
            <RouterAnchor key={a.id} to="/knowledge/$id" params={{ id: a.id }} mr="xs">
              {a.title}
            </RouterAnchor>
          ))}
        </Text>
      ) : null}
      <Tabs defaultValue="answer">
        <Tabs.List>
          <Tabs.Tab value="answer">{t('requests.answer')}</Tabs.Tab>
          <Tabs.Tab value="note">{t('requests.note')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="answer" pt="sm">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              answer.mutate({ body: answerBody, close }, { onSuccess: () => setAnswerBody('') });
            }}
          >
            <Stack gap="xs">
              <Select
                label={t('requests.canned.insert')}
                placeholder={t('requests.canned.choose')}
                data={(canned.data ?? []).map((c) => ({ value: c.id, label: c.title }))}
                value={null}
                onChange={(v) => {
                  const c = canned.data?.find((x) => x.id === v);
                  if (c) setAnswerBody((prev) => (prev ? `${prev}\n\n${c.body}` : c.body));
                }}
              />
              <Textarea
                label={t('requests.answer')}
                description={t('requests.answerHint')}
                value={answerBody}
                onChange={(e) => setAnswerBody(e.currentTarget.value)}
                autosize
                minRows={5}
                required
              />
              <Group justify="space-between">
                <Checkbox label={t('requests.answerAndClose')} checked={close} onChange={(e) => setClose(e.currentTarget.checked)} />
                <Button type="submit" loading={answer.isPending}>
                  {t('requests.sendAnswer')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Tabs.Panel>
        <Tabs.Panel value="note" pt="sm">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              note.mutate(noteBody, { onSuccess: () => setNoteBody('') });
            }}
          >
            <Stack gap="xs">
              <Title order={3} size="h6">
                {t('requests.noteHint')}
              </Title>
              <Textarea aria-label={t('requests.note')} value={noteBody} onChange={(e) => setNoteBody(e.currentTarget.value)} autosize minRows={3} required />
              <Group justify="flex-end">
                <Button type="submit" color="yellow" loading={note.isPending}>
                  {t('requests.addNote')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Tabs.Panel>
      </Tabs>
      <ArticleModal requestId={r.id} opened={article} onClose={() => setArticle(false)} />
    </Stack>
  );
}
