import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Group, Kbd, Paper, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconBan, IconKeyboard, IconMail, IconMailOpened, IconRss } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage, ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { compact } from '../../../lib/search-params';
import { TextDialog } from '../../advisories/components/text-dialog';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { sourcesQuery, storiesQuery, type Story, type StoryFilters } from '../api';
import { useDraftAdvisory, useMarkRead, useNoAction, useReopen } from '../mutations';
import { TriageShortcutsDialog } from '../components/shortcuts-dialog';
import { StoryFilterBar } from '../components/story-filters';
import { StoryTable } from '../components/story-table';
import { useTriageKeyboard } from '../use-triage-keyboard';

const routeApi = getRouteApi('/_app/intake');

/** The stories "no action" is asked for: one (from the keyboard or its row) or the selection. */
interface NoActionTarget {
  ids: string[];
  title: string | null;
}

/** The triage inbox: stories newest activity first, filters in the URL, mail-client keys, bulk actions. */
export function IntakePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canDecide = can(user.role, 'intake:write');
  const canDraft = canDecide && can(user.role, 'advisories:write');
  const filters = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const query = useInfiniteQuery(storiesQuery(filters));
  const sources = useQuery(sourcesQuery);
  const stories = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  // The count is the server's (open stories unread by me), whatever the filters.
  const unread = query.data?.pages[0]?.unread;
  const sourceNames = useMemo(() => new Map((sources.data ?? []).map((s) => [s.id, s.name])), [sources.data]);

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [focus, setFocus] = useState<number | null>(null);
  const [helpOpened, help] = useDisclosure(false);
  const [noActionFor, setNoActionFor] = useState<NoActionTarget | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);

  const markRead = useMarkRead();
  const noAction = useNoAction();
  const reopen = useReopen();
  const draft = useDraftAdvisory();

  // Other filters, other rows: the selection and the ring start afresh.
  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    setSelected(new Set());
    setFocus(null);
  }, [filterKey]);

  // Rows that left the list (decided, filtered out) leave the selection; the ring stays in the list.
  const shownSelection = useMemo(() => stories.filter((s) => selected.has(s.id)).map((s) => s.id), [stories, selected]);
  const ring = focus === null || stories.length === 0 ? null : Math.min(focus, stories.length - 1);

  const setFilters = (next: StoryFilters) =>
    void navigate({
      search: compact({ q: next.q, source: next.source, cve: next.cve, vendor: next.vendor, product: next.product, relevance: next.relevance, read: next.read, state: next.state }),
      replace: true,
    });

  const toggle = useCallback((id: string) => {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const focusRow = useCallback((index: number) => {
    setFocus(index);
    const link = tableRef.current?.querySelector<HTMLAnchorElement>(`[data-row-index="${index}"] a[data-row-link]`);
    link?.focus();
    link?.closest('tr')?.scrollIntoView({ block: 'nearest' });
  }, []);

  const failed = (error: unknown) => notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) });

  const setRead = (ids: string[], read: boolean) => {
    if (ids.length === 0) return;
    markRead.mutate(
      { ids, read },
      {
        onSuccess: ({ updated }) => notifications.show({ color: 'green', message: t(read ? 'intake.done.read' : 'intake.done.unread', { count: updated }) }),
        onError: failed,
      },
    );
  };

  const doReopen = (ids: string[]) => {
    if (ids.length === 0) return;
    reopen.mutate(ids, {
      onSuccess: ({ updated }) => notifications.show({ color: 'green', message: t('intake.done.reopened', { count: updated }) }),
      onError: failed,
    });
  };

  const makeDraft = (story: Story) => {
    if (story.decision === 'advisory' && story.advisoryId) {
      void navigate({ to: '/advisories/$id', params: { id: story.advisoryId } });
      return;
    }
    draft.mutate(story.id, {
      onSuccess: (result) => {
        notifications.show({
          color: result.csafFailures > 0 ? 'orange' : 'green',
          message: result.csafFailures > 0 ? t('intake.done.draftWithFailures', { count: result.csafFailures }) : t('intake.done.draft'),
        });
        void navigate({ to: '/advisories/$id/edit', params: { id: result.advisoryId } });
      },
      onError: failed,
    });
  };

  const storyAt = (index: number): Story | undefined => stories[index];

  useTriageKeyboard({
    container: tableRef,
    count: stories.length,
    current: ring,
    enabled: !helpOpened && noActionFor === null,
    actions: {
      help: help.open,
      move: focusRow,
      open: (index) => {
        const story = storyAt(index);
        if (story) void navigate({ to: '/intake/$id', params: { id: story.id } });
      },
      toggleSelect: (index) => {
        const story = storyAt(index);
        if (story) toggle(story.id);
      },
      toggleRead: (index) => {
        const story = storyAt(index);
        if (story) setRead([story.id], !story.read);
      },
      noAction: canDecide
        ? (index) => {
            const story = storyAt(index);
            if (story) setNoActionFor({ ids: [story.id], title: story.title });
          }
        : undefined,
      draftAdvisory: canDraft
        ? (index) => {
            const story = storyAt(index);
            if (story && !draft.isPending) makeDraft(story);
          }
        : undefined,
    },
  });

  const title = unread ? t('intake.headingUnread', { count: unread }) : t('intake.title');
  const filtered = Object.values(filters).some((value) => value !== undefined);

  return (
    <>
      <PageHeader
        title={title}
        description={t('intake.intro')}
        actions={
          <>
            <Button variant="default" leftSection={<IconKeyboard size={16} aria-hidden />} onClick={help.open} data-testid="intake-shortcuts">
              {t('intake.keys.title')}
            </Button>
            <RouterButton to="/intake/sources" variant="default" leftSection={<IconRss size={16} aria-hidden />} data-testid="intake-sources-link">
              {t('intake.sources.title')}
            </RouterButton>
          </>
        }
      />
      <StoryFilterBar value={filters} onChange={setFilters} sources={sources.data ?? []} />
      <ErrorAlert error={query.error} />
      {shownSelection.length > 0 ? (
        <Paper withBorder p="xs" mb="xs" role="region" aria-label={t('intake.bulk.label')} data-testid="bulk-actions">
          <Group gap="xs" wrap="wrap">
            <Text size="sm" fw={500} role="status" data-testid="selection-count">
              {t('intake.bulk.selected', { count: shownSelection.length })}
            </Text>
            <Button size="xs" variant="default" leftSection={<IconMailOpened size={14} aria-hidden />} loading={markRead.isPending} onClick={() => setRead(shownSelection, true)}>
              {t('intake.actions.markRead')}
            </Button>
            <Button size="xs" variant="default" leftSection={<IconMail size={14} aria-hidden />} loading={markRead.isPending} onClick={() => setRead(shownSelection, false)}>
              {t('intake.actions.markUnread')}
            </Button>
            {canDecide ? (
              <>
                <Button size="xs" variant="default" leftSection={<IconBan size={14} aria-hidden />} onClick={() => setNoActionFor({ ids: shownSelection, title: null })}>
                  {t('intake.actions.noAction')}
                </Button>
                <Button size="xs" variant="default" leftSection={<IconArrowBackUp size={14} aria-hidden />} loading={reopen.isPending} onClick={() => doReopen(shownSelection)}>
                  {t('intake.actions.reopen')}
                </Button>
              </>
            ) : null}
            <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>
              {t('intake.bulk.clear')}
            </Button>
          </Group>
        </Paper>
      ) : null}
      <div ref={tableRef}>
        <StoryTable
          stories={stories}
          sourceNames={sourceNames}
          selected={selected}
          onToggle={toggle}
          onToggleAll={(select) => setSelected(select ? new Set(stories.map((s) => s.id)) : new Set())}
          focused={ring}
          onFocusRow={setFocus}
          loading={query.isPending}
          emptyText={filtered ? t('intake.emptyFiltered') : t('intake.empty')}
        />
      </div>
      <Group justify="space-between" mt="xs" wrap="wrap">
        <Text size="xs" c="dimmed" role="status">
          {stories.length > 0 ? t('common.shown', { count: stories.length }) : null}
        </Text>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">j</Kbd> <Kbd size="xs">k</Kbd> {t('intake.keys.hintMove')}, <Kbd size="xs">Enter</Kbd> {t('intake.keys.hintOpen')}, <Kbd size="xs">?</Kbd>{' '}
          {t('intake.keys.hintMore')}
        </Text>
      </Group>
      <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      <TriageShortcutsDialog opened={helpOpened} onClose={help.close} canDecide={canDecide} canDraft={canDraft} />
      {noActionFor ? (
        <TextDialog
          title={noActionFor.title ? t('intake.noAction.titleOne', { title: noActionFor.title }) : t('intake.noAction.titleMany', { count: noActionFor.ids.length })}
          label={t('intake.noAction.reason')}
          description={t('intake.noAction.help')}
          minLength={1}
          confirmLabel={t('intake.actions.noAction')}
          pending={noAction.isPending}
          error={noAction.error}
          onConfirm={(reason) =>
            noAction.mutate(
              { ids: noActionFor.ids, reason },
              {
                onSuccess: ({ updated }) => {
                  notifications.show({ color: 'green', message: t('intake.done.noAction', { count: updated }) });
                  setNoActionFor(null);
                  setSelected((current) => new Set([...current].filter((id) => !noActionFor.ids.includes(id))));
                },
              },
            )
          }
          onClose={() => {
            noAction.reset();
            setNoActionFor(null);
          }}
        />
      ) : null}
    </>
  );
}
