import { Alert, Badge, Group, Paper, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { previewQuery, recipientsQuery, type DigestDetail } from '../api';

interface PreviewPanelProps {
  digest: DigestDetail;
  contactId: string | undefined;
  onContact: (contactId: string | undefined) => void;
}

/** Who gets the digest (each with the number of entries in their version), and the mail exactly as one of them gets it. */
export function PreviewPanel({ digest, contactId, onContact }: PreviewPanelProps) {
  const { t } = useTranslation();
  const recipients = useQuery(recipientsQuery(digest.id));
  const preview = useQuery({ ...previewQuery(digest.id, contactId ?? ''), enabled: !!contactId });
  const list = recipients.data?.recipients ?? [];
  const chosen = list.find((r) => r.contactId === contactId);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="digest-preview">
      <Title order={2} size="h4" id="digest-preview" mb="xs">
        {t('digests.preview.title')}
      </Title>
      <ErrorAlert error={recipients.error} />
      {recipients.data ? (
        <Text size="sm" mb="sm" data-testid="digest-recipients-summary">
          {t('digests.preview.summary', {
            contacts: recipients.data.summary.contacts,
            organisations: recipients.data.summary.organisations,
            classes: recipients.data.summary.classes,
            encrypted: recipients.data.summary.encrypted,
            held: recipients.data.summary.held,
          })}
          {recipients.data.summary.withoutEntries > 0 ? ` ${t('digests.preview.withoutEntries', { count: recipients.data.summary.withoutEntries })}` : null}
        </Text>
      ) : null}
      <Select
        label={t('digests.preview.recipient')}
        placeholder={t('digests.preview.choose')}
        searchable
        clearable
        nothingFoundMessage={t('digests.preview.nobody')}
        data={list.map((r) => ({
          value: r.contactId,
          label: `${r.name} <${r.email}> — ${r.organisationName} (${t('digests.preview.entries', { count: r.entries })})`,
        }))}
        value={contactId ?? null}
        onChange={(v) => onContact(v ?? undefined)}
        maw={640}
      />
      {chosen ? (
        <Stack gap="xs" mt="sm">
          <Group gap="xs">
            <TlpBadge tlp={chosen.tlp} size="xs" />
            <Badge variant="light" size="sm">
              {t('digests.preview.entries', { count: chosen.entries })}
            </Badge>
            <Badge variant="light" size="sm" color={chosen.encrypted ? 'teal' : 'gray'}>
              {chosen.encrypted ? t('digests.preview.encrypted') : t('digests.preview.signedOnly')}
            </Badge>
            <Text size="xs" c="dimmed">
              {chosen.languages.map((l) => l.toUpperCase()).join(' + ')}
            </Text>
          </Group>
          {chosen.held ? <Alert color="orange">{t('digests.preview.held')}</Alert> : null}
          {chosen.skipped ? <Alert color="gray">{t('digests.preview.skipped')}</Alert> : null}
        </Stack>
      ) : null}
      <ErrorAlert error={preview.error} />
      {preview.data && chosen ? (
        <Stack gap="xs" mt="sm">
          <Text size="sm">
            <Text span fw={600}>
              {t('digests.preview.subject')}:
            </Text>{' '}
            <span data-testid="digest-preview-subject">{preview.data.subject}</span>
          </Text>
          <Tabs defaultValue="html">
            <Tabs.List>
              <Tabs.Tab value="html">{t('digests.preview.html')}</Tabs.Tab>
              <Tabs.Tab value="text">{t('digests.preview.text')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="html" pt="xs">
              {/* The mail's own HTML, exactly what the contact's mail client shows; the sandbox runs no scripts, forms or navigation (same origin only so the browser draws it in-process). */}
              <iframe
                title={t('digests.preview.frameTitle', { name: chosen.name })}
                sandbox="allow-same-origin"
                srcDoc={preview.data.html}
                data-testid="digest-preview-frame"
                style={{ width: '100%', height: 640, border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4, background: '#fff' }}
              />
            </Tabs.Panel>
            <Tabs.Panel value="text" pt="xs">
              <Text component="pre" size="xs" ff="monospace" style={{ whiteSpace: 'pre-wrap' }} data-testid="digest-preview-text">
                {preview.data.text}
              </Text>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      ) : null}
    </Paper>
  );
}
