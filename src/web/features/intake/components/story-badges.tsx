import { Badge, Group, Stack, Text, type MantineSize } from '@mantine/core';
import { IconAlertOctagon, IconFlame, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { RouterAnchor } from '../../../components/router-links';
import { parseWeek, type HealthState, type Story } from '../api';

/** An EPSS probability (0–1) as a percentage, e.g. 0.1234 → "12.3 %" in the reader's language. */
export function useEpssPercent(): (value: number) => string {
  const { i18n } = useTranslation();
  return (value) => new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: value < 0.01 ? 2 : 1 }).format(value);
}

/** On CISA's list of known exploited vulnerabilities. */
export function KevBadge({ size = 'sm' }: { size?: MantineSize }) {
  const { t } = useTranslation();
  return (
    // red.9 with white text: Mantine's default red falls short of WCAG AA contrast.
    <Badge color="red.9" variant="filled" size={size} component="span" leftSection={<IconAlertOctagon size={12} aria-hidden />} data-testid="kev-badge">
      {t('intake.kev')}
    </Badge>
  );
}

export function RansomwareBadge({ size = 'sm' }: { size?: MantineSize }) {
  const { t } = useTranslation();
  return (
    <Badge color="dark" variant="filled" size={size} component="span" leftSection={<IconFlame size={12} aria-hidden />} data-testid="ransomware-badge">
      {t('intake.ransomware')}
    </Badge>
  );
}

/** "EPSS 12.3 %": the highest probability of exploitation among the story's CVEs. */
export function EpssBadge({ epss }: { epss: number }) {
  const { t } = useTranslation();
  const percent = useEpssPercent();
  return (
    <Badge color={epss >= 0.1 ? 'orange.9' : 'gray.8'} variant={epss >= 0.1 ? 'filled' : 'outline'} size="sm" component="span" data-testid="epss-badge">
      {t('intake.epssValue', { value: percent(epss) })}
    </Badge>
  );
}

/** "concerns 3 participants": how many participants declared a product the story names. */
export function ConcernedBadge({ count }: { count: number }) {
  const { t } = useTranslation();
  if (count === 0) return null;
  return (
    <Badge color="grape.9" variant="outline" size="sm" component="span" leftSection={<IconUsers size={12} aria-hidden />} data-testid="concerned-badge">
      {t('intake.concerns', { count })}
    </Badge>
  );
}

export function CveChips({ cves, max = 4 }: { cves: readonly string[]; max?: number }) {
  const { t } = useTranslation();
  if (cves.length === 0) return null;
  const shown = cves.slice(0, max);
  return (
    <Group gap={4} component="span" wrap="wrap" data-testid="cve-chips">
      {shown.map((cve) => (
        <Badge key={cve} variant="outline" color="gray.8" size="sm" radius="sm" component="span" ff="monospace" tt="none">
          {cve}
        </Badge>
      ))}
      {cves.length > max ? (
        <Text span size="xs" c="dimmed">
          {t('intake.moreCves', { count: cves.length - max })}
        </Text>
      ) : null}
    </Group>
  );
}

/** "week 48" of a media item ("2026-W48"). */
export function useWeekLabel(): (week: string) => string {
  const { t } = useTranslation();
  return (week) => {
    const parsed = parseWeek(week);
    return parsed ? t('intake.week', { week: parsed.week, year: parsed.year }) : week;
  };
}

/** What the team decided: a draft advisory (with its link), no action (with the reason), a media item of a week; or open. */
export function DecisionState({ story, compact = false }: { story: Story; compact?: boolean }) {
  const { t } = useTranslation();
  const weekLabel = useWeekLabel();
  const parts = [];
  if (story.decision === 'advisory') {
    parts.push(
      story.advisoryId ? (
        <RouterAnchor key="advisory" to="/advisories/$id" params={{ id: story.advisoryId }} size="sm" data-testid="decision-advisory">
          {t('intake.state.advisoryLink')}
        </RouterAnchor>
      ) : (
        <Text key="advisory" span size="sm" data-testid="decision-advisory">
          {t('intake.state.advisory')}
        </Text>
      ),
    );
  }
  if (story.decision === 'no_action') {
    parts.push(
      <Text key="no-action" span size="sm" data-testid="decision-no-action" lineClamp={compact ? 2 : undefined} style={{ overflowWrap: 'anywhere' }}>
        {story.decisionReason ? t('intake.state.noActionReason', { reason: story.decisionReason }) : t('intake.state.no_action')}
      </Text>,
    );
  }
  if (story.mediaWeek) {
    parts.push(
      <Text key="media" span size="sm" data-testid="decision-media">
        {t('intake.state.mediaWeek', { week: weekLabel(story.mediaWeek) })}
      </Text>,
    );
  }
  if (parts.length === 0) {
    return (
      <Text span size="sm" c="dimmed" data-testid="decision-open">
        {t('intake.state.open')}
      </Text>
    );
  }
  return (
    <Stack gap={2} align="flex-start">
      {parts}
    </Stack>
  );
}

const HEALTH_COLOUR: Record<HealthState, string> = { ok: 'green.9', failing: 'red.9', never: 'gray.7', disabled: 'gray.7' };

/** A source's health: ok, failing (its last good state is kept), never run, or disabled. */
export function HealthBadge({ state, running }: { state: HealthState; running: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} component="span" wrap="nowrap">
      <Badge color={HEALTH_COLOUR[state]} variant={state === 'ok' || state === 'failing' ? 'filled' : 'outline'} size="sm" component="span" data-testid="health-badge" data-state={state}>
        {t(`intake.health.${state}`)}
      </Badge>
      {running ? (
        <Badge color="blue.9" variant="outline" size="sm" component="span">
          {t('intake.health.running')}
        </Badge>
      ) : null}
    </Group>
  );
}
