import { Anchor, Badge, Button, Group, Menu, Paper, Stack, Text } from '@mantine/core';
import { IconArrowForwardUp, IconChevronDown, IconPaperclip } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { formatBytes } from '../format';
import type { CvdMessage, CvdParty } from '../api';

interface MessageListProps {
  messages: readonly CvdMessage[];
  /** Who reads: the CERT (every label), or a party reading its own channel. */
  reader: 'cert' | 'party';
  /** The download address of an attachment. */
  attachmentHref: (attachmentId: string) => string;
  label: string;
  emptyText: string;
  /** The CERT: the parties a message may be relayed to, and what happens on "Relay to…". */
  parties?: readonly CvdParty[];
  onRelay?: (message: CvdMessage, to: CvdParty) => void;
  /** The CERT: the name of the party a relayed message came from. */
  relayedFrom?: (messageId: string) => string | null;
}

function RelayMenu({ message, parties, onRelay }: { message: CvdMessage; parties: readonly CvdParty[]; onRelay: (message: CvdMessage, to: CvdParty) => void }) {
  const { t } = useTranslation();
  const targets = parties.filter((p) => p.id !== message.partyId);
  if (targets.length === 0) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-xs" variant="subtle" leftSection={<IconArrowForwardUp size={14} aria-hidden />} rightSection={<IconChevronDown size={12} aria-hidden />} data-testid="relay-button">
          {t('cvd.channels.relayTo')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('cvd.channels.relayTo')}</Menu.Label>
        {targets.map((p) => (
          <Menu.Item key={p.id} onClick={() => onRelay(message, p)} data-testid="relay-target" data-party={p.id}>
            {`${p.name || t('cvd.parties.anonymousFinder')} (${t(`cvd.partyKind.${p.kind}`)})`}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** One channel's messages, oldest first: the CERT's on the left, the party's indented. */
export function MessageList({ messages, reader, attachmentHref, label, emptyText, parties, onRelay, relayedFrom }: MessageListProps) {
  const { t } = useTranslation();
  if (messages.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="cvd-no-messages">
        {emptyText}
      </Text>
    );
  }
  return (
    <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label={label}>
      {messages.map((m) => {
        const fromCert = m.direction !== 'in';
        const source = m.relayedFromId && relayedFrom ? relayedFrom(m.relayedFromId) : null;
        return (
          <Paper
            key={m.id}
            component="li"
            withBorder
            p="xs"
            bg={m.direction === 'note' ? 'var(--mantine-color-yellow-0)' : undefined}
            ml={fromCert ? 0 : 'xl'}
            mr={fromCert ? 'xl' : 0}
            data-testid="cvd-message"
            data-direction={m.direction}
          >
            <Group gap="xs" mb={4} wrap="wrap">
              <Text size="sm" fw={500} data-testid="cvd-message-author">
                {m.author}
              </Text>
              <Badge size="xs" variant="light" color={m.direction === 'note' ? 'yellow' : fromCert ? 'blue' : 'teal'} component="span">
                {m.direction === 'note' ? t('cvd.channels.note') : fromCert ? t('cvd.channels.fromCert') : reader === 'cert' ? t('cvd.channels.fromParty') : t('cvd.channels.fromUs')}
              </Badge>
              {source ? (
                <Badge size="xs" variant="default" component="span" data-testid="cvd-relayed-from">
                  {t('cvd.channels.relayedFrom', { name: source })}
                </Badge>
              ) : null}
              <Text size="xs" c="dimmed">
                <DateTime value={m.createdAt} />
              </Text>
              {m.direction === 'in' && parties && onRelay ? <RelayMenu message={m} parties={parties} onRelay={onRelay} /> : null}
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="cvd-message-body">
              {m.body}
            </Text>
            {m.attachments.length > 0 ? (
              <Group gap="sm" mt={4}>
                {m.attachments.map((a) => (
                  <Anchor key={a.id} href={attachmentHref(a.id)} download size="xs">
                    <Group gap={4} component="span" wrap="nowrap">
                      <IconPaperclip size={12} aria-hidden />
                      {`${a.fileName} (${formatBytes(a.sizeBytes)})`}
                    </Group>
                  </Anchor>
                ))}
              </Group>
            ) : null}
          </Paper>
        );
      })}
    </Stack>
  );
}
