import { useState } from 'react';
import { Anchor, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconListDetails } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { downloads, partyCaseQuery, type PartyView } from '../api';
import { Composer, type Draft } from '../components/composer';
import { MessageList } from '../components/message-list';
import { PartyStatusPanel } from '../components/party-status-panel';
import { PartyReportPanel } from '../components/report-panel';
import { formatBytes } from '../format';
import { usePartyReply } from '../mutations';

const routeApi = getRouteApi('/_app/cvd-party/$id');

/** The party's channel with the CERT: what the CERT wrote, what we wrote, and a reply box. */
function ChannelPanel({ view, canRespond }: { view: PartyView; canRespond: boolean }) {
  const { t } = useTranslation();
  const reply = usePartyReply(view.id);
  const [draft, setDraft] = useState<Draft>({ body: '' });
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-party-channel-title" data-testid="cvd-channel">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-party-channel-title">
          {t('cvd.partyPage.channelTitle')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('cvd.partyPage.channelHelp')}
        </Text>
        <MessageList
          messages={view.messages}
          reader="party"
          attachmentHref={(id) => downloads.partyAttachment(view.id, id)}
          label={t('cvd.partyPage.channelTitle')}
          emptyText={t('cvd.channels.empty')}
        />
        {canRespond ? (
          <Composer
            label={t('cvd.partyPage.replyForm')}
            fieldLabel={t('cvd.channels.message')}
            submitLabel={t('cvd.channels.send')}
            draft={draft}
            onDraft={setDraft}
            onSend={() => reply.mutate(draft.body.trim(), { onSuccess: () => setDraft({ body: '' }) })}
            sending={reply.isPending}
            error={reply.error}
          />
        ) : null}
      </Stack>
    </Paper>
  );
}

/** The files the CERT passed on to us (and those we handed in). */
function PartyAttachments({ view }: { view: PartyView }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-party-files-title" data-testid="cvd-attachments">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-party-files-title">
          {t('cvd.attachments.title')}
        </Title>
        {view.attachments.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('cvd.partyPage.noAttachments')}
          </Text>
        ) : (
          <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {view.attachments.map((a) => (
              <Group key={a.id} component="li" gap="xs" data-testid="cvd-attachment" data-name={a.fileName}>
                <Anchor href={downloads.partyAttachment(view.id, a.id)} download size="sm">
                  <Group gap={4} component="span" wrap="nowrap">
                    <IconDownload size={14} aria-hidden />
                    {a.fileName}
                  </Group>
                </Anchor>
                <Text size="xs" c="dimmed">
                  {formatBytes(a.sizeBytes)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * A vulnerability report as a participant or manufacturer reads it in the portal: the report
 * (without the finder, unless both agreed), the embargo, its own status and consent, its channel
 * with the CERT, and the files passed on to it.
 */
export function CvdPartyPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const user = useCurrentUser();
  const query = useQuery(partyCaseQuery(id));
  const view = query.data;
  const canRespond = can(user.role, 'cvd:respond');
  const back = (
    <RouterButton to="/cvd-cases" variant="default" leftSection={<IconListDetails size={16} aria-hidden />} data-testid="cvd-cases-link">
      {t('cvd.case.back')}
    </RouterButton>
  );

  if (!view) {
    return (
      <>
        <PageHeader title={t('cvd.case.title')} actions={back} />
        {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={view.title}
        description={
          <>
            <Text span ff="monospace" size="sm" data-testid="cvd-reference">
              {view.reference}
            </Text>
            {` · ${t('cvd.partyPage.intro')}`}
          </>
        }
        actions={back}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <PartyReportPanel view={view} />
        <div>
          <PartyStatusPanel view={view} canRespond={canRespond} />
          <PartyAttachments view={view} />
        </div>
      </SimpleGrid>
      <ChannelPanel view={view} canRespond={canRespond} />
    </>
  );
}
