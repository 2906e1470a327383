import { Anchor, Button, Group, Menu, Paper, Stack, Text, Title } from '@mantine/core';
import { IconChevronDown, IconDownload, IconShare } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { downloads, type CvdAttachment, type CvdCase, type CvdParty } from '../api';
import { formatBytes } from '../format';
import { useShareAttachment } from '../mutations';

function PassOn({ attachment, targets, onShare }: { attachment: CvdAttachment; targets: readonly CvdParty[]; onShare: (partyId: string) => void }) {
  const { t } = useTranslation();
  if (targets.length === 0) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconShare size={14} aria-hidden />}
          rightSection={<IconChevronDown size={12} aria-hidden />}
          aria-label={t('cvd.attachments.passOnNamed', { name: attachment.fileName })}
          data-testid="cvd-pass-on"
        >
          {t('cvd.attachments.passOn')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {targets.map((p) => (
          <Menu.Item key={p.id} onClick={() => onShare(p.id)}>
            {`${p.name || t('cvd.parties.anonymousFinder')} (${t(`cvd.partyKind.${p.kind}`)})`}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * The files of the case: who handed each in and who got it since. "Pass on to…" shares a file with
 * another party; the API refuses a finder's file unless the finder agreed, and says so.
 */
export function AttachmentsPanel({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const share = useShareAttachment(cvd.id);
  const nameOf = (id: string | null) => {
    const p = cvd.parties.find((x) => x.id === id);
    return p ? p.name || t('cvd.parties.anonymousFinder') : t('cvd.attachments.theCert');
  };
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-attachments-title" data-testid="cvd-attachments">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-attachments-title">
          {t('cvd.attachments.title')}
        </Title>
        {cvd.attachments.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('cvd.attachments.none')}
          </Text>
        ) : (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {cvd.attachments.map((a) => {
              const targets = cvd.parties.filter((p) => p.id !== a.partyId && !a.sharedWith.includes(p.id));
              return (
                <Stack key={a.id} gap={2} component="li" data-testid="cvd-attachment" data-name={a.fileName}>
                  <Group gap="xs" wrap="wrap">
                    <Anchor href={downloads.attachment(cvd.id, a.id)} download size="sm" fw={500}>
                      <Group gap={4} component="span" wrap="nowrap">
                        <IconDownload size={14} aria-hidden />
                        {a.fileName}
                      </Group>
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {formatBytes(a.sizeBytes)} · {t('cvd.attachments.from', { name: nameOf(a.partyId) })} · <DateTime value={a.createdAt} />
                    </Text>
                    <PassOn attachment={a} targets={targets} onShare={(partyId) => share.mutate({ attachmentId: a.id, partyId })} />
                  </Group>
                  <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    SHA-256 {a.sha256}
                  </Text>
                  {a.sharedWith.length > 0 ? (
                    <Text size="xs" data-testid="cvd-attachment-shared">
                      {t('cvd.attachments.sharedWith', { names: a.sharedWith.map(nameOf).join(', ') })}
                    </Text>
                  ) : null}
                </Stack>
              );
            })}
          </Stack>
        )}
        <ErrorAlert error={share.error} />
      </Stack>
    </Paper>
  );
}
