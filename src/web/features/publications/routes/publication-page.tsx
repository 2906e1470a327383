import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { isApiError } from '../../../lib/api-client';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { TlpBanner } from '../../advisories/components/advisory-badges';
import { downloads, publicationQuery, type PublicationDetail } from '../api';
import { usePublish, useWithdraw } from '../mutations';
import { EditDetailsModal } from '../components/edit-details-modal';
import { PublicationBadges } from '../components/publication-badges';
import { VersionsPanel } from '../components/versions-panel';

const routeApi = getRouteApi('/_app/publications/$id');

/** One publication: marking, summary, the current version to download; for the CERT every version and the controls. */
export function PublicationPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const user = useCurrentUser();
  const isCert = can(user.role, 'publications:write');
  const query = useQuery(publicationQuery(id));
  if (query.error && isApiError(query.error) && query.error.status === 404) return <Alert color="gray">{t('publications.notFound')}</Alert>;
  if (!query.data) return query.error ? <ErrorAlert error={query.error} /> : <Text c="dimmed">{t('common.loading')}</Text>;
  const p = query.data;
  const current = p.versions.find((v) => v.current) ?? null;
  return (
    <>
      <TlpBanner tlp={p.tlp} />
      <PageHeader
        title={p.title}
        description={<PublicationBadges publication={p} showStatus={isCert} />}
        actions={
          current ? (
            <Button component="a" href={downloads.current(p.id)} leftSection={<IconDownload size={16} />}>
              {t('publications.download')}
            </Button>
          ) : null
        }
      />
      <Stack gap="md">
        {p.status === 'withdrawn' && p.withdrawnReason ? <Alert color="red">{t('publications.detail.withdrawn', { reason: p.withdrawnReason })}</Alert> : null}
        <Paper withBorder p="md" radius="md" lang={p.language}>
          {p.summary ? <Text fw={500}>{p.summary}</Text> : null}
          <Group gap={4} mt="xs">
            {p.tags.map((tag) => (
              <Badge key={tag} size="xs" variant="dot">
                {tag}
              </Badge>
            ))}
          </Group>
          <Text size="sm" c="dimmed" mt="xs">
            {current ? (
              <>
                {t('publications.version', { version: current.version })} · {t('publications.published')}{' '}
                {current.publishedAt ? <DateTime value={current.publishedAt} dateOnly /> : '—'}
              </>
            ) : (
              t('publications.detail.notPublishedYet')
            )}
            {p.reviewBy ? (
              <>
                {' · '}
                {t('publications.reviewBy')} <DateTime value={p.reviewBy} dateOnly />
              </>
            ) : null}
          </Text>
          {p.html ? (
            // Sanitised by the server (lib/markdown.ts).
            <div className="advisory-html" data-testid="publication-body" dangerouslySetInnerHTML={{ __html: p.html }} />
          ) : current ? (
            <Text size="sm" mt="sm">
              {t('publications.detail.pdfOnly')} <Anchor href={downloads.current(p.id)}>{t('publications.download')}</Anchor>
            </Text>
          ) : null}
        </Paper>
        {isCert ? <CertControls publication={p} /> : null}
        {isCert ? <VersionsPanel key={p.versions.length} publication={p} /> : null}
      </Stack>
    </>
  );
}

function CertControls({ publication: p }: { publication: PublicationDetail }) {
  const { t } = useTranslation();
  const publish = usePublish(p.id);
  const withdraw = useWithdraw(p.id);
  const [editing, { open, close }] = useDisclosure(false);
  const [reason, setReason] = useState('');
  return (
    <Paper withBorder p="md" radius="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Button variant="default" onClick={open}>
          {t('publications.detail.edit')}
        </Button>
        {p.versions.length > 0 && p.status !== 'published' ? (
          <Button onClick={() => publish.mutate(undefined)} loading={publish.isPending}>
            {p.status === 'withdrawn' ? t('publications.detail.republish') : t('publications.detail.publish')}
          </Button>
        ) : null}
        {p.status === 'published' ? (
          <>
            <TextInput
              label={t('publications.detail.withdrawReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              maxLength={2000}
              style={{ flex: '1 1 16rem' }}
            />
            <Button color="red" variant="light" disabled={reason.trim().length < 3} loading={withdraw.isPending} onClick={() => withdraw.mutate(reason.trim())}>
              {t('publications.detail.withdraw')}
            </Button>
          </>
        ) : null}
      </Group>
      {p.recipients && p.recipients.length > 0 ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('publications.detail.recipients')}: {p.recipients.length}
        </Text>
      ) : null}
      <ErrorAlert error={publish.error ?? withdraw.error} />
      {editing ? <EditDetailsModal publication={p} opened={editing} onClose={close} /> : null}
    </Paper>
  );
}
