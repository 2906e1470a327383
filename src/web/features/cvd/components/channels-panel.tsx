import { useState } from 'react';
import { Badge, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { downloads, type CvdCase, type CvdMessage, type CvdParty } from '../api';
import { quote } from '../format';
import { useAddNote, useSendMessage } from '../mutations';
import { Composer, type Draft } from './composer';
import { MessageList } from './message-list';

const NOTES = 'notes';
const EMPTY: Draft = { body: '' };

interface ChannelsPanelProps {
  cvd: CvdCase;
  /** The open channel: a party's id, or 'notes' (from the URL). */
  channel: string | undefined;
  onChannel: (channel: string) => void;
}

/**
 * The relay. Every party has its own channel with the CERT; nothing crosses from one to another by
 * itself. "Relay to…" on a message that came in opens the other party's composer with the text
 * quoted, for the analyst to edit; the API refuses a relay that still names the other side.
 * Internal notes have their own tab and never leave the CERT.
 */
export function ChannelsPanel({ cvd, channel, onChannel }: ChannelsPanelProps) {
  const { t } = useTranslation();
  const send = useSendMessage(cvd.id);
  const note = useAddNote(cvd.id);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const parties = cvd.parties;
  const active = channel && (channel === NOTES || parties.some((p) => p.id === channel)) ? channel : (parties[0]?.id ?? NOTES);
  const nameOf = (p: CvdParty) => p.name || t('cvd.parties.anonymousFinder');
  const messagesOf = (key: string): CvdMessage[] =>
    cvd.messages.filter((m) => (key === NOTES ? m.direction === 'note' : m.partyId === key && m.direction !== 'note'));
  const draftOf = (key: string) => drafts[key] ?? EMPTY;
  const setDraft = (key: string, draft: Draft) => setDrafts((prev) => ({ ...prev, [key]: draft }));
  const open = (key: string) => {
    send.reset();
    note.reset();
    onChannel(key);
  };

  const relayedFrom = (messageId: string) => {
    const source = cvd.messages.find((m) => m.id === messageId);
    const party = source ? parties.find((p) => p.id === source.partyId) : undefined;
    return party ? nameOf(party) : null;
  };
  const relay = (message: CvdMessage, to: CvdParty) => {
    const from = parties.find((p) => p.id === message.partyId);
    setDraft(to.id, { body: quote(t(`cvd.channels.relayLead.${from?.kind ?? 'other'}`), message.body), relayedFromId: message.id });
    open(to.id);
  };

  const sendTo = (party: CvdParty) => {
    const draft = draftOf(party.id);
    send.mutate(
      { partyId: party.id, body: draft.body.trim(), ...(draft.relayedFromId ? { relayedFromId: draft.relayedFromId } : {}) },
      { onSuccess: () => setDraft(party.id, EMPTY) },
    );
  };

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-channels-title" data-testid="cvd-channels">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-channels-title">
          {t('cvd.channels.title')}
        </Title>
        <Tabs value={active} onChange={(value) => value && open(value)} keepMounted={false}>
          <Tabs.List mb="sm">
            {parties.map((p) => (
              <Tabs.Tab key={p.id} value={p.id} data-testid="cvd-channel-tab" data-party={p.id} data-kind={p.kind}>
                <Group gap={6} wrap="nowrap" component="span">
                  {`${nameOf(p)} (${t(`cvd.partyKind.${p.kind}`)})`}
                  <Badge size="xs" variant="light" component="span" circle>
                    {messagesOf(p.id).length}
                  </Badge>
                </Group>
              </Tabs.Tab>
            ))}
            <Tabs.Tab value={NOTES} data-testid="cvd-channel-tab" data-party="notes">
              <Group gap={6} wrap="nowrap" component="span">
                {t('cvd.channels.notes')}
                <Badge size="xs" variant="light" color="yellow" component="span" circle>
                  {messagesOf(NOTES).length}
                </Badge>
              </Group>
            </Tabs.Tab>
          </Tabs.List>
          {parties.map((p) => {
            const draft = draftOf(p.id);
            const source = draft.relayedFromId ? relayedFrom(draft.relayedFromId) : null;
            return (
              <Tabs.Panel key={p.id} value={p.id}>
                <Stack gap="sm" data-testid="cvd-channel" data-party={p.id}>
                  <MessageList
                    messages={messagesOf(p.id)}
                    reader="cert"
                    attachmentHref={(id) => downloads.attachment(cvd.id, id)}
                    label={t('cvd.channels.with', { name: nameOf(p) })}
                    emptyText={t('cvd.channels.empty')}
                    parties={parties}
                    onRelay={relay}
                    relayedFrom={relayedFrom}
                  />
                  <Composer
                    label={t('cvd.channels.writeTo', { name: nameOf(p) })}
                    fieldLabel={t('cvd.channels.message')}
                    submitLabel={t('cvd.channels.send')}
                    draft={draft}
                    onDraft={(next) => setDraft(p.id, next)}
                    onSend={() => sendTo(p)}
                    sending={send.isPending}
                    error={send.error}
                    relayNotice={source ? t('cvd.channels.relayNotice', { from: source, to: nameOf(p) }) : undefined}
                  />
                </Stack>
              </Tabs.Panel>
            );
          })}
          <Tabs.Panel value={NOTES}>
            <Stack gap="sm" data-testid="cvd-channel" data-party="notes">
              <Text size="xs" c="dimmed">
                {t('cvd.channels.notesHelp')}
              </Text>
              <MessageList
                messages={messagesOf(NOTES)}
                reader="cert"
                attachmentHref={(id) => downloads.attachment(cvd.id, id)}
                label={t('cvd.channels.notes')}
                emptyText={t('cvd.channels.noNotes')}
              />
              <Composer
                label={t('cvd.channels.notes')}
                fieldLabel={t('cvd.channels.note')}
                submitLabel={t('cvd.channels.saveNote')}
                draft={draftOf(NOTES)}
                onDraft={(next) => setDraft(NOTES, next)}
                onSend={() => note.mutate(draftOf(NOTES).body.trim(), { onSuccess: () => setDraft(NOTES, EMPTY) })}
                sending={note.isPending}
                error={note.error}
              />
            </Stack>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Paper>
  );
}
