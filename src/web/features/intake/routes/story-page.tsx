import { useEffect, useRef, type ReactNode } from 'react';
import { Anchor, Badge, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconExternalLink, IconListDetails } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { storyQuery, type EpssScore, type KevEntry, type StoryDetail, type StoryItem } from '../api';
import { useMarkRead } from '../mutations';
import { StoryActions } from '../components/story-actions';
import { ConcernedBadge, CveChips, EpssBadge, KevBadge, RansomwareBadge, useEpssPercent } from '../components/story-badges';

const routeApi = getRouteApi('/_app/intake/$id');

const isWebLink = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} style={{ marginBottom: 'var(--mantine-spacing-lg)' }}>
      <Title order={2} size="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text size="sm" component="div">
      <Text span size="sm" c="dimmed">
        {label}:
      </Text>{' '}
      {children}
    </Text>
  );
}

/** One thing a source said: where from, when, which revision, and what changed since it was first seen. */
function ItemCard({ item }: { item: StoryItem }) {
  const { t } = useTranslation();
  const headingId = `item-${item.id}`;
  return (
    <Paper withBorder p="sm" component="article" aria-labelledby={headingId} data-testid="story-item">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Badge variant="outline" color="blue.9" size="sm" component="span" data-testid="item-source">
            {item.sourceName}
          </Badge>
          <Text span size="xs" c="dimmed">
            {t(`intake.kinds.${item.sourceKind}`)}
          </Text>
          <TlpBadge tlp={item.tlp} />
          {item.isCsaf ? (
            <Badge variant="outline" color="teal.9" size="sm" component="span" data-testid="csaf-badge">
              {t('intake.item.csaf')}
            </Badge>
          ) : null}
        </Group>
        <Title order={3} size="h5" id={headingId} style={{ overflowWrap: 'anywhere' }}>
          {item.title}
        </Title>
        {isWebLink(item.url) ? (
          <Anchor href={item.url} target="_blank" rel="noopener noreferrer" size="sm" style={{ overflowWrap: 'anywhere' }}>
            <Group gap={4} component="span" wrap="nowrap">
              <span>{item.url}</span>
              <IconExternalLink size={14} aria-hidden />
              <span className="visually-hidden">{t('intake.item.opensNewTab')}</span>
            </Group>
          </Anchor>
        ) : null}
        <Group gap="lg" wrap="wrap">
          <Fact label={t('intake.item.published')}>
            <DateTime value={item.publishedAt} />
          </Fact>
          <Fact label={t('intake.item.updated')}>
            <DateTime value={item.updatedAt} />
          </Fact>
          <Fact label={t('intake.item.revision')}>{item.revision ?? '—'}</Fact>
          <Fact label={t('intake.item.firstSeen')}>
            <DateTime value={item.firstSeenAt} />
          </Fact>
        </Group>
        <Fact label={t('intake.item.externalId')}>
          <Text span size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {item.externalId}
          </Text>
        </Fact>
        {item.advisoryIds.length > 0 ? <Fact label={t('intake.item.advisoryIds')}>{item.advisoryIds.join(', ')}</Fact> : null}
        {item.cves.length > 0 ? <CveChips cves={item.cves} max={20} /> : null}
        {item.summary ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={8}>
            {item.summary}
          </Text>
        ) : null}
        {item.changes.length > 0 ? (
          <div data-testid="item-changes">
            <Text size="sm" fw={600}>
              {t('intake.item.changes')}
            </Text>
            <List size="sm" spacing={2}>
              {[...item.changes].reverse().map((change) => (
                <List.Item key={`${change.at}-${change.note}`}>
                  <DateTime value={change.at} /> — {change.note}
                  {change.fields.length > 0 ? (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      ({t('intake.item.fields', { fields: change.fields.join(', ') })})
                    </Text>
                  ) : null}
                </List.Item>
              ))}
            </List>
          </div>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** Per CVE: its KEV entry (date added, due date, required action) and its EPSS score. */
function CveTable({ cves, kev, epss }: { cves: readonly string[]; kev: readonly KevEntry[]; epss: readonly EpssScore[] }) {
  const { t } = useTranslation();
  const percent = useEpssPercent();
  if (cves.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('intake.story.noCves')}
      </Text>
    );
  }
  return (
    <Paper withBorder style={{ overflowX: 'auto' }}>
      <Table verticalSpacing={6} data-testid="cve-table">
        <caption className="visually-hidden">{t('intake.story.cves')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('intake.story.cve')}</Table.Th>
            <Table.Th scope="col">{t('intake.story.kevColumn')}</Table.Th>
            <Table.Th scope="col">{t('intake.story.epssColumn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cves.map((cve) => {
            const entry = kev.find((k) => k.cve === cve);
            const score = epss.find((e) => e.cve === cve);
            return (
              <Table.Tr key={cve} data-testid="cve-row">
                <Table.Th scope="row">
                  <Text span size="sm" ff="monospace">
                    {cve}
                  </Text>
                </Table.Th>
                <Table.Td>
                  {entry ? (
                    <Stack gap={2}>
                      <Group gap={4}>
                        <KevBadge />
                        {entry.knownRansomware ? <RansomwareBadge /> : null}
                      </Group>
                      <Text size="sm">{entry.name}</Text>
                      <Fact label={t('intake.story.dateAdded')}>
                        <DateTime value={entry.dateAdded} dateOnly />
                      </Fact>
                      <Fact label={t('intake.story.dueDate')}>
                        <DateTime value={entry.dueDate} dateOnly />
                      </Fact>
                      <Fact label={t('intake.story.requiredAction')}>{entry.requiredAction}</Fact>
                    </Stack>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('intake.story.notKev')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {score ? (
                    <Stack gap={2}>
                      <Fact label={t('intake.story.epssScore')}>{percent(score.epss)}</Fact>
                      <Fact label={t('intake.story.percentile')}>{percent(score.percentile)}</Fact>
                      <Fact label={t('intake.story.scoreDate')}>
                        <DateTime value={score.scoreDate} dateOnly />
                      </Fact>
                      <Fact label={t('intake.story.model')}>{score.modelVersion ?? '—'}</Fact>
                    </Stack>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('intake.story.noEpss')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function ConcernedTable({ concerned }: { concerned: StoryDetail['concerned'] }) {
  const { t } = useTranslation();
  if (concerned.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="concerned-none">
        {t('intake.story.concernedNone')}
      </Text>
    );
  }
  return (
    <Paper withBorder>
      <Table verticalSpacing={6} data-testid="concerned-table">
        <caption className="visually-hidden">{t('intake.story.concerned')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('intake.story.participant')}</Table.Th>
            <Table.Th scope="col">{t('intake.story.matchingProducts')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {concerned.map((c) => (
            <Table.Tr key={c.organisationId}>
              <Table.Th scope="row" fw={500}>
                {c.name}
              </Table.Th>
              <Table.Td>{c.products.join(', ')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** One story: what the sources said, KEV and EPSS per CVE, the participants it concerns, and the decision. Opening it marks it read. */
export function StoryPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const user = useCurrentUser();
  const query = useQuery(storyQuery(id));
  const story = query.data;
  const markRead = useMarkRead();
  const marked = useRef<string | null>(null);
  const { mutate: mark } = markRead;

  // Opening the page reads the story (once per visit; a change by a source makes it unread again).
  useEffect(() => {
    if (!story || story.read || marked.current === story.id) return;
    marked.current = story.id;
    mark({ ids: [story.id], read: true });
  }, [story, mark]);

  const back = (
    <RouterButton to="/intake" variant="default" leftSection={<IconListDetails size={16} aria-hidden />} data-testid="back-to-intake">
      {t('intake.story.back')}
    </RouterButton>
  );
  if (!story) {
    return (
      <>
        <PageHeader title={t('intake.story.title')} actions={back} />
        {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      </>
    );
  }

  const canDecide = can(user.role, 'intake:write');
  const canDraft = canDecide && can(user.role, 'advisories:write');
  return (
    <>
      <PageHeader
        title={story.title}
        description={
          <span>
            {t('intake.story.firstSeen')} <DateTime value={story.firstSeenAt} /> · {t('intake.story.lastActivity')} <DateTime value={story.lastActivityAt} />
          </span>
        }
        actions={back}
      />
      <Group gap={6} mb="md" wrap="wrap" data-testid="story-badges">
        <TlpBadge tlp={story.tlp} />
        {story.kev ? <KevBadge /> : null}
        {story.knownRansomware ? <RansomwareBadge /> : null}
        {story.epss !== null ? <EpssBadge epss={story.epss} /> : null}
        <ConcernedBadge count={story.concernedOrganisations} />
        <Text span size="sm" c="dimmed">
          {t('intake.itemCount', { count: story.itemCount })}
        </Text>
      </Group>
      {story.changeNote ? (
        <Text size="sm" c="dimmed" mb="md" data-testid="change-note">
          {t('intake.updatedNote', { note: story.changeNote })}
        </Text>
      ) : null}
      <ErrorAlert error={markRead.error} />
      <StoryActions story={story} canDecide={canDecide} canDraft={canDraft} />
      <Section id="story-summary" title={t('intake.story.summary')}>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="story-summary">
          {story.summary || '—'}
        </Text>
        {story.vendors.length > 0 ? (
          <Text size="sm" mt="xs">
            <Text span size="sm" c="dimmed">
              {t('intake.story.vendors')}:
            </Text>{' '}
            {story.vendors.join(', ')}
          </Text>
        ) : null}
        {story.products.length > 0 ? (
          <Text size="sm" mt={4} style={{ overflowWrap: 'anywhere' }}>
            <Text span size="sm" c="dimmed">
              {t('intake.story.products')}:
            </Text>{' '}
            {story.products.map((p) => [p.vendor, p.product, p.versions].filter(Boolean).join(' ')).join('; ')}
          </Text>
        ) : null}
      </Section>
      <Section id="story-items" title={t('intake.story.items', { count: story.items.length })}>
        <Stack gap="sm">
          {story.items.map((item) => (
            <ItemCard key={item.id} item={item} />
          ))}
        </Stack>
      </Section>
      <Section id="story-cves" title={t('intake.story.cves')}>
        <CveTable cves={story.cves} kev={story.kevEntries} epss={story.epssScores} />
      </Section>
      <Section id="story-concerned" title={t('intake.story.concerned')}>
        <ConcernedTable concerned={story.concerned} />
      </Section>
    </>
  );
}
