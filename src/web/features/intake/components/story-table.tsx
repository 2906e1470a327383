import { Box, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { RouterAnchor } from '../../../components/router-links';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import type { Story } from '../api';
import { ConcernedBadge, CveChips, DecisionState, EpssBadge, KevBadge, RansomwareBadge } from './story-badges';

interface StoryTableProps {
  stories: readonly Story[];
  /** Source id → name (from the sources list). */
  sourceNames: ReadonlyMap<string, string>;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (select: boolean) => void;
  /** The row under the keyboard's focus ring. */
  focused: number | null;
  onFocusRow: (index: number) => void;
  loading: boolean;
  emptyText: string;
}

// The focus ring of the keyboard's row, drawn on top of the zebra stripes (and visible without colour).
const FOCUS_RING = { outline: '2px solid var(--mantine-color-blue-7)', outlineOffset: -2 };

/** One story: unread marker, title, marking, CVEs and enrichment, its sources, the decision. */
function StoryRow({
  story,
  index,
  sourceNames,
  selected,
  focused,
  onToggle,
  onFocusRow,
}: {
  story: Story;
  index: number;
  sourceNames: ReadonlyMap<string, string>;
  selected: boolean;
  focused: boolean;
  onToggle: (id: string) => void;
  onFocusRow: (index: number) => void;
}) {
  const { t } = useTranslation();
  const unread = !story.read;
  const names = story.sourceIds.map((id) => sourceNames.get(id)).filter((name): name is string => Boolean(name));
  return (
    <Table.Tr
      data-row-index={index}
      data-story-id={story.id}
      data-unread={unread}
      data-focused={focused || undefined}
      data-testid="story-row"
      style={focused ? FOCUS_RING : undefined}
      bg={selected ? 'var(--mantine-color-blue-light)' : undefined}
      onFocus={() => onFocusRow(index)}
    >
      <Table.Td w={40}>
        <Checkbox
          aria-label={t('intake.selectStory', { title: story.title })}
          checked={selected}
          onChange={() => onToggle(story.id)}
          data-testid="story-select"
        />
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <Group gap={6} wrap="nowrap" align="baseline">
            {unread ? (
              <>
                <Box component="span" aria-hidden w={8} h={8} bg="blue.7" style={{ borderRadius: '50%', flex: 'none' }} />
                <span className="visually-hidden">{t('intake.unread')}</span>
              </>
            ) : null}
            <RouterAnchor to="/intake/$id" params={{ id: story.id }} size="sm" fw={unread ? 700 : 400} c={unread ? undefined : 'dark.6'} data-row-link style={{ overflowWrap: 'anywhere' }}>
              {story.title}
            </RouterAnchor>
          </Group>
          <Group gap={4} wrap="wrap">
            <TlpBadge tlp={story.tlp} />
            <CveChips cves={story.cves} />
            {story.kev ? <KevBadge /> : null}
            {story.knownRansomware ? <RansomwareBadge /> : null}
            {story.epss !== null ? <EpssBadge epss={story.epss} /> : null}
            <ConcernedBadge count={story.concernedOrganisations} />
          </Group>
          {story.changeNote ? (
            <Text size="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }} data-testid="change-note">
              {t('intake.updatedNote', { note: story.changeNote })}
            </Text>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="story-items">
          {t('intake.itemCount', { count: story.itemCount })}
        </Text>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }} data-testid="story-sources">
          {names.join(', ') || '—'}
        </Text>
      </Table.Td>
      <Table.Td maw={260}>
        <DecisionState story={story} compact />
      </Table.Td>
      <Table.Td>
        <Text size="xs" component="div">
          <DateTime value={story.lastActivityAt} />
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** The triage inbox as a table: a checkbox per row and one for all shown; the focus ring follows j/k. */
export function StoryTable({ stories, sourceNames, selected, onToggle, onToggleAll, focused, onFocusRow, loading, emptyText }: StoryTableProps) {
  const { t } = useTranslation();
  const selectedShown = stories.filter((s) => selected.has(s.id)).length;
  const all = stories.length > 0 && selectedShown === stories.length;
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table striped highlightOnHover stickyHeader aria-busy={loading} data-testid="stories-table">
        <caption className="visually-hidden">{t('intake.tableCaption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={40}>
              <Checkbox
                aria-label={t('intake.selectAll')}
                checked={all}
                indeterminate={selectedShown > 0 && !all}
                disabled={stories.length === 0}
                onChange={() => onToggleAll(!all)}
                data-testid="select-all"
              />
            </Table.Th>
            <Table.Th scope="col">{t('intake.columns.story')}</Table.Th>
            <Table.Th scope="col">{t('intake.columns.sources')}</Table.Th>
            <Table.Th scope="col">{t('intake.columns.decision')}</Table.Th>
            <Table.Th scope="col">{t('intake.columns.activity')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stories.map((story, index) => (
            <StoryRow
              key={story.id}
              story={story}
              index={index}
              sourceNames={sourceNames}
              selected={selected.has(story.id)}
              focused={focused === index}
              onToggle={onToggle}
              onFocusRow={onFocusRow}
            />
          ))}
          {stories.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text size="sm" c="dimmed" py="xs" data-testid="stories-empty">
                  {loading ? t('common.loading') : emptyText}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
