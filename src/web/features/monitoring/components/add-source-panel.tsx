import { useState, type FormEvent } from 'react';
import { Button, Group, NativeSelect, NumberInput, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import {
  CHECK_KIND_LIST,
  FEED_FORMAT_LIST,
  NEW_SOURCE_KINDS,
  SEVERITY_LIST,
  useCreateSource,
  type CheckKind,
  type FeedFormat,
  type NewSource,
  type NewSourceKind,
  type Severity,
} from '../api';

const CSV_COLUMNS = ['ip', 'hostname', 'asn', 'port', 'timestamp'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Every field of every kind, as typed; only the chosen kind's are sent. */
interface Draft {
  name: string;
  zone: string;
  target: 'ip' | 'domain';
  listedCodes: string;
  dailyBudget: number | string;
  perSecond: number | string;
  findingType: string;
  severity: Severity;
  columns: Record<CsvColumn, string>;
  location: 'url' | 'file';
  url: string;
  file: string;
  format: FeedFormat;
  check: CheckKind;
  warnDays: number | string;
  port: number | string;
}

// The server's defaults (monitoring.schema.ts), shown so the analyst sees what is sent.
const DEFAULT_TYPE: Record<NewSourceKind, string> = { dnsbl: 'blacklisted', csv: '', blocklist: 'blocklisted', check: '' };
const DEFAULT_SEVERITY: Record<NewSourceKind, Severity> = { dnsbl: 'medium', csv: 'medium', blocklist: 'medium', check: 'low' };

function emptyDraft(kind: NewSourceKind): Draft {
  return {
    name: '',
    zone: '',
    target: 'ip',
    listedCodes: '',
    dailyBudget: 100_000,
    perSecond: 50,
    findingType: DEFAULT_TYPE[kind],
    severity: DEFAULT_SEVERITY[kind],
    columns: { ip: '', hostname: '', asn: '', port: '', timestamp: '' },
    location: 'url',
    url: '',
    file: '',
    format: 'plain',
    check: 'tls',
    warnDays: 14,
    port: 443,
  };
}

/** A number field left empty is left out, so the server's default applies. */
function optionalNumber(value: number | string): number | undefined {
  if (value === '') return undefined;
  return typeof value === 'number' ? value : Number(value);
}

function toInput(kind: NewSourceKind, draft: Draft): NewSource {
  switch (kind) {
    case 'dnsbl':
      return {
        kind,
        config: {
          zone: draft.zone.trim(),
          target: draft.target,
          listedCodes: draft.listedCodes
            .split(/[\s,]+/)
            .map((code) => code.trim())
            .filter(Boolean),
          dailyBudget: optionalNumber(draft.dailyBudget),
          perSecond: optionalNumber(draft.perSecond),
          findingType: draft.findingType.trim() || undefined,
          severity: draft.severity,
        },
      };
    case 'csv': {
      const columns: Partial<Record<CsvColumn, string>> = {};
      for (const column of CSV_COLUMNS) if (draft.columns[column].trim()) columns[column] = draft.columns[column].trim();
      return { kind, name: draft.name.trim(), config: { columns, findingType: draft.findingType.trim(), severity: draft.severity } };
    }
    case 'blocklist':
      return {
        kind,
        name: draft.name.trim(),
        config: {
          ...(draft.location === 'url' ? { url: draft.url.trim() } : { file: draft.file.trim() }),
          format: draft.format,
          findingType: draft.findingType.trim() || undefined,
          severity: draft.severity,
        },
      };
    case 'check':
      return {
        kind,
        config: {
          check: draft.check,
          ...(draft.check === 'tls' ? { warnDays: optionalNumber(draft.warnDays), port: optionalNumber(draft.port) } : {}),
          severity: draft.severity,
        },
      };
  }
}

/**
 * The CERT adds a source: a blacklist (DNSBL) zone, a CSV source with its column mapping, a blocklist
 * feed or one of its own checks. The server checks the rest (a feed's URL, a name used twice) and
 * its message is shown as it gives it.
 */
export function AddSourcePanel() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<NewSourceKind>('dnsbl');
  const [draft, setDraft] = useState<Draft>(() => emptyDraft('dnsbl'));
  const create = useCreateSource();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const severities = SEVERITY_LIST.map((value) => ({ value, label: t(`monitoring.severity.${value}`) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(toInput(kind, draft), {
      onSuccess: (source) => {
        notifications.show({ color: 'green', message: t('monitoring.sources.add.added', { name: source.name }) });
        setDraft(emptyDraft(kind));
      },
    });
  };

  const findingTypeField = (required: boolean) => (
    <TextInput
      label={t('monitoring.sources.add.findingType')}
      description={t('monitoring.sources.add.findingTypeHelp')}
      placeholder="open-rdp"
      value={draft.findingType}
      onChange={(event) => set('findingType', event.currentTarget.value)}
      required={required}
      w={240}
    />
  );
  const severityField = (
    <NativeSelect
      label={t('monitoring.fields.severity')}
      value={draft.severity}
      onChange={(event) => set('severity', optionalEnum(event.currentTarget.value, SEVERITY_LIST) ?? DEFAULT_SEVERITY[kind])}
      data={severities}
      w={160}
    />
  );

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="add-source-title" data-testid="add-source-panel">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h5" id="add-source-title">
            {t('monitoring.sources.add.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('monitoring.sources.add.intro')}
          </Text>
          <NativeSelect
            label={t('monitoring.sources.kind')}
            name="kind"
            value={kind}
            onChange={(event) => {
              const next = optionalEnum(event.currentTarget.value, NEW_SOURCE_KINDS) ?? 'dnsbl';
              setKind(next);
              setDraft(emptyDraft(next));
              create.reset();
            }}
            data={NEW_SOURCE_KINDS.map((value) => ({ value, label: t(`monitoring.sources.kinds.${value}`) }))}
            w={240}
            data-testid="add-source-kind"
          />

          {kind === 'dnsbl' ? (
            <Group gap="sm" align="flex-start" wrap="wrap">
              <TextInput
                label={t('monitoring.sources.add.zone')}
                placeholder="zen.dnsbl.example"
                value={draft.zone}
                onChange={(event) => set('zone', event.currentTarget.value)}
                required
                w={260}
              />
              <NativeSelect
                label={t('monitoring.sources.add.target')}
                value={draft.target}
                onChange={(event) => set('target', event.currentTarget.value === 'domain' ? 'domain' : 'ip')}
                data={[
                  { value: 'ip', label: t('monitoring.sources.targets.ip') },
                  { value: 'domain', label: t('monitoring.sources.targets.domain') },
                ]}
                w={160}
              />
              <TextInput
                label={t('monitoring.sources.add.listedCodes')}
                description={t('monitoring.sources.add.listedCodesHelp')}
                placeholder="127.0.0.2-127.0.0.11"
                value={draft.listedCodes}
                onChange={(event) => set('listedCodes', event.currentTarget.value)}
                w={300}
              />
              <NumberInput
                label={t('monitoring.sources.add.dailyBudget')}
                value={draft.dailyBudget}
                onChange={(value) => set('dailyBudget', value)}
                min={1}
                max={10_000_000}
                allowDecimal={false}
                w={180}
              />
              <NumberInput
                label={t('monitoring.sources.add.perSecond')}
                value={draft.perSecond}
                onChange={(value) => set('perSecond', value)}
                min={1}
                max={10_000}
                allowDecimal={false}
                w={180}
              />
              {findingTypeField(false)}
              {severityField}
            </Group>
          ) : null}

          {kind === 'csv' ? (
            <Stack gap="sm">
              <Group gap="sm" align="flex-start" wrap="wrap">
                <TextInput
                  label={t('monitoring.sources.name')}
                  value={draft.name}
                  onChange={(event) => set('name', event.currentTarget.value)}
                  required
                  w={260}
                />
                {findingTypeField(true)}
                {severityField}
              </Group>
              <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
                <legend>
                  <Text size="sm" fw={500}>
                    {t('monitoring.sources.add.columns')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('monitoring.sources.add.columnsHelp')}
                  </Text>
                </legend>
                <Group gap="sm" align="flex-start" wrap="wrap" mt={4}>
                  {CSV_COLUMNS.map((column) => (
                    <TextInput
                      key={column}
                      label={t(`monitoring.sources.add.column.${column}`)}
                      value={draft.columns[column]}
                      onChange={(event) => {
                        const value = event.currentTarget.value;
                        setDraft((current) => ({ ...current, columns: { ...current.columns, [column]: value } }));
                      }}
                      w={180}
                    />
                  ))}
                </Group>
              </fieldset>
            </Stack>
          ) : null}

          {kind === 'blocklist' ? (
            <Group gap="sm" align="flex-start" wrap="wrap">
              <TextInput
                label={t('monitoring.sources.name')}
                description={t('monitoring.sources.add.feedNameHelp')}
                placeholder="urlhaus"
                value={draft.name}
                onChange={(event) => set('name', event.currentTarget.value)}
                required
                w={240}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500} id="feed-location-label">
                  {t('monitoring.sources.add.location')}
                </Text>
                <SegmentedControl
                  aria-labelledby="feed-location-label"
                  value={draft.location}
                  onChange={(value) => set('location', value === 'file' ? 'file' : 'url')}
                  data={[
                    { value: 'url', label: t('monitoring.sources.add.url') },
                    { value: 'file', label: t('monitoring.sources.add.file') },
                  ]}
                />
              </Stack>
              {draft.location === 'url' ? (
                <TextInput
                  label={t('monitoring.sources.add.urlField')}
                  description={t('monitoring.sources.add.urlHelp')}
                  placeholder="https://feeds.example/list.txt"
                  value={draft.url}
                  onChange={(event) => set('url', event.currentTarget.value)}
                  required
                  w={340}
                />
              ) : (
                <TextInput
                  label={t('monitoring.sources.add.fileField')}
                  description={t('monitoring.sources.add.fileHelp')}
                  placeholder="drop.txt"
                  value={draft.file}
                  onChange={(event) => set('file', event.currentTarget.value)}
                  required
                  w={340}
                />
              )}
              <NativeSelect
                label={t('monitoring.upload.format')}
                value={draft.format}
                onChange={(event) => set('format', optionalEnum(event.currentTarget.value, FEED_FORMAT_LIST) ?? 'plain')}
                data={FEED_FORMAT_LIST.map((value) => ({ value, label: t(`monitoring.sources.add.formats.${value}`) }))}
                w={220}
              />
              {findingTypeField(false)}
              {severityField}
            </Group>
          ) : null}

          {kind === 'check' ? (
            <Group gap="sm" align="flex-start" wrap="wrap">
              <NativeSelect
                label={t('monitoring.sources.add.check')}
                value={draft.check}
                onChange={(event) => set('check', optionalEnum(event.currentTarget.value, CHECK_KIND_LIST) ?? 'tls')}
                data={CHECK_KIND_LIST.map((value) => ({ value, label: t(`monitoring.sources.add.checks.${value}`) }))}
                w={280}
              />
              {draft.check === 'tls' ? (
                <>
                  <NumberInput
                    label={t('monitoring.sources.add.warnDays')}
                    description={t('monitoring.sources.add.warnDaysHelp')}
                    value={draft.warnDays}
                    onChange={(value) => set('warnDays', value)}
                    min={0}
                    max={365}
                    allowDecimal={false}
                    w={220}
                  />
                  <NumberInput
                    label={t('monitoring.fields.port')}
                    value={draft.port}
                    onChange={(value) => set('port', value)}
                    min={1}
                    max={65535}
                    allowDecimal={false}
                    w={140}
                  />
                </>
              ) : null}
              {severityField}
            </Group>
          ) : null}

          <Group gap="xs">
            <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={create.isPending} data-testid="add-source">
              {t('monitoring.sources.add.submit')}
            </Button>
          </Group>
          <ErrorAlert error={create.error} />
        </Stack>
      </form>
    </Paper>
  );
}
