import { useRef, useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconCrosshair, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { optionalEnum } from '../../../lib/search-params';
import { INDICATOR_TYPES, type IndicatorType } from '../../zdn/api';
import { timelineQuery, type TimelineEntry } from '../api';
import { useAddObservable, useAddTimeline, usePatchTimeline } from '../mutations';
import { SharedBadge } from './incident-badges';
import { LocalTimeInput, localToIso, nowLocal } from './local-time-input';

/** A first guess at what kind of indicator a selected piece of text is; the analyst can change it. */
export function guessIndicatorType(value: string): IndicatorType {
  const v = value.trim();
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(v)) return 'ipv4';
  if (/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(v)) return 'cidr';
  if (/^[0-9a-f:]+:[0-9a-f:]*$/i.test(v) && v.includes('::')) return 'ipv6';
  if (/^[0-9a-f]{64}$/i.test(v)) return 'sha256';
  if (/^[0-9a-f]{40}$/i.test(v)) return 'sha1';
  if (/^[0-9a-f]{32}$/i.test(v)) return 'md5';
  if (/^[0-9a-f]{128}$/i.test(v)) return 'sha512';
  if (/^https?:\/\//i.test(v)) return 'url';
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(v)) return 'email';
  if (/^CVE-\d{4}-\d{4,}$/i.test(v)) return 'cve';
  if (/^AS\d+$/i.test(v)) return 'asn';
  if (/^[^\s/]+\.(exe|dll|ps1|bat|js|vbs|zip|iso|lnk|docm|xlsm)$/i.test(v)) return 'filename';
  if (/^([a-z0-9-]+\.)+[a-z]{2,}$/i.test(v)) return 'domain';
  return 'ipv4';
}

function IndicatorForm({ caseId, entry, initial, onDone }: { caseId: string; entry: TimelineEntry; initial: string; onDone: () => void }) {
  const { t } = useTranslation();
  const add = useAddObservable(caseId);
  const [type, setType] = useState<IndicatorType>(() => guessIndicatorType(initial));
  const [value, setValue] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return;
    add.mutate({ type, value: value.trim(), timelineId: entry.id }, { onSuccess: onDone });
  };
  return (
    <Paper withBorder p="xs" component="form" onSubmit={submit} noValidate aria-label={t('incidents.timeline.addIndicator')} data-testid="indicator-form">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <NativeSelect
          label={t('incidents.observables.type')}
          name="type"
          value={type}
          onChange={(event) => setType(optionalEnum(event.currentTarget.value, INDICATOR_TYPES) ?? type)}
          data={INDICATOR_TYPES.map((v) => ({ value: v, label: t(`zdn.types.${v}`) }))}
        />
        <TextInput
          label={t('incidents.observables.value')}
          name="value"
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          w={320}
          ff="monospace"
        />
        <Button type="submit" size="sm" loading={add.isPending}>
          {t('incidents.timeline.addIndicatorSubmit')}
        </Button>
        <Button variant="default" size="sm" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </Group>
      <ErrorAlert error={add.error} />
    </Paper>
  );
}

function Entry({ caseId, entry, isCert, readOnly }: { caseId: string; entry: TimelineEntry; isCert: boolean; readOnly: boolean }) {
  const { t } = useTranslation();
  const patch = usePatchTimeline(caseId);
  const [indicator, setIndicator] = useState<string | null>(null);
  const selection = useRef('');
  return (
    <Paper withBorder p="xs" component="li" data-testid="timeline-entry" data-shared={entry.shared}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <Text size="sm" fw={500}>
              <DateTime value={entry.at} />
            </Text>
            <Text size="xs" c="dimmed">
              {[entry.source, entry.author].filter(Boolean).join(' · ')}
            </Text>
            {isCert ? <SharedBadge shared={entry.shared} /> : null}
          </Group>
          {isCert && !readOnly ? (
            <Group gap="xs">
              <Switch
                size="xs"
                label={t('incidents.timeline.shareWithRoom')}
                checked={entry.shared}
                disabled={patch.isPending}
                onChange={(event) => patch.mutate({ entryId: entry.id, shared: event.currentTarget.checked })}
              />
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconCrosshair size={12} aria-hidden />}
                // The text the analyst selected in the entry, read before the click takes the selection away.
                onMouseDown={() => (selection.current = window.getSelection()?.toString().trim() ?? '')}
                onClick={() => setIndicator(selection.current.slice(0, 2000))}
                data-testid="add-indicator"
              >
                {t('incidents.timeline.addIndicator')}
              </Button>
            </Group>
          ) : null}
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="timeline-text">
          {entry.text}
        </Text>
        {entry.indicatorId ? (
          <Text size="xs" c="dimmed">
            {t('incidents.timeline.hasIndicator')}
          </Text>
        ) : null}
        {indicator !== null ? <IndicatorForm caseId={caseId} entry={entry} initial={indicator} onDone={() => setIndicator(null)} /> : null}
        <ErrorAlert error={patch.error} />
      </Stack>
    </Paper>
  );
}

function AddEntry({ caseId, isCert }: { caseId: string; isCert: boolean }) {
  const { t } = useTranslation();
  const add = useAddTimeline(caseId);
  const [at, setAt] = useState(nowLocal);
  const [source, setSource] = useState('');
  const [text, setText] = useState('');
  const [shared, setShared] = useState(false);
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const iso = localToIso(at);
    if (!text.trim() || !iso) return setMissing(true);
    setMissing(false);
    add.mutate(
      { at: iso, text: text.trim(), ...(isCert ? { source: source.trim(), shared } : {}) },
      {
        onSuccess: () => {
          setText('');
          setAt(nowLocal());
        },
      },
    );
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-labelledby="add-entry-title" data-testid="add-timeline-entry">
      <Stack gap="xs">
        <Title order={3} size="h6" id="add-entry-title">
          {t('incidents.timeline.add')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: isCert ? 2 : 1 }} spacing="sm">
          <LocalTimeInput label={t('incidents.timeline.at')} name="at" required value={at} onChange={setAt} />
          {isCert ? (
            <TextInput
              label={t('incidents.timeline.source')}
              name="source"
              maxLength={200}
              value={source}
              onChange={(event) => setSource(event.currentTarget.value)}
            />
          ) : null}
        </SimpleGrid>
        <Textarea
          label={t('incidents.timeline.text')}
          name="text"
          required
          autosize
          minRows={2}
          maxRows={10}
          maxLength={10000}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          error={missing ? t('incidents.report.required') : undefined}
        />
        {isCert ? (
          <Checkbox label={t('incidents.timeline.shareWithRoom')} name="shared" checked={shared} onChange={(event) => setShared(event.currentTarget.checked)} />
        ) : (
          <Text size="xs" c="dimmed">
            {t('incidents.timeline.roomShared')}
          </Text>
        )}
        <ErrorAlert error={add.error} />
        <Group>
          <Button type="submit" size="xs" leftSection={<IconPlus size={14} aria-hidden />} loading={add.isPending}>
            {t('incidents.timeline.addSubmit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The timeline, oldest first. The CERT decides what the room sees; the room sees shared entries and adds its own. */
export function TimelinePanel({ caseId, isCert, readOnly }: { caseId: string; isCert: boolean; readOnly: boolean }) {
  const { t } = useTranslation();
  const timeline = useQuery(timelineQuery(caseId));
  return (
    <Stack gap="sm" data-testid="timeline-panel">
      {timeline.isPending ? <LoadingIndicator /> : <ErrorAlert error={timeline.error} />}
      {timeline.isSuccess && timeline.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('incidents.timeline.empty')}
        </Text>
      ) : null}
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('incidents.case.tabs.timeline')}>
        {(timeline.data ?? []).map((entry) => (
          <Entry key={entry.id} caseId={caseId} entry={entry} isCert={isCert} readOnly={readOnly} />
        ))}
      </Stack>
      {readOnly ? null : <AddEntry caseId={caseId} isCert={isCert} />}
    </Stack>
  );
}
