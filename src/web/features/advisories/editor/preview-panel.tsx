import { useState } from 'react';
import { Alert, Badge, Box, Group, List, Loader, Paper, SegmentedControl, Stack, Table, Tabs, Text, Title, Typography } from '@mantine/core';
import { IconCircleCheck, IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { JsonBlock } from '../../../components/json-block';
import type { CvssScore, PreviewResult } from '../api';
import { CsafFailures } from '../components/csaf-failures';
import { CvssBadge } from '../components/cvss-score';
import type { CvssSeverity } from '#lib/cvss.ts';

interface PreviewPanelProps {
  data: PreviewResult | undefined;
  fetching: boolean;
  error: unknown;
  /** The titles typed in the editor (the preview renders body and advice only). */
  titles: { nl: string; en: string | null };
}

const SEVERITIES: readonly CvssSeverity[] = ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const asSeverity = (value: string): CvssSeverity | undefined => SEVERITIES.find((severity) => severity === value);

function Score({ score }: { score: CvssScore | null }) {
  const { t } = useTranslation();
  if (!score) return <>—</>;
  if (!score.ok) return <Text size="xs">{score.message}</Text>;
  const severity = asSeverity(score.baseSeverity);
  return (
    <Stack gap={2}>
      {severity ? <CvssBadge score={score.baseScore} severity={severity} /> : <span>{score.baseScore}</span>}
      <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
        {t('advisories.cvss.version', { version: score.version })}
      </Text>
    </Stack>
  );
}

function Rendered({ data, titles }: { data: PreviewResult | undefined; titles: PreviewPanelProps['titles'] }) {
  const { t } = useTranslation();
  const [lang, setLang] = useState<'nl' | 'en'>('nl');
  const html = data?.html;
  if (!html) {
    return (
      <Text size="sm" c="dimmed">
        {t('advisories.preview.notRendered')}
      </Text>
    );
  }
  const showEn = lang === 'en' && html.en !== null;
  const text = showEn && html.en ? html.en : html.nl;
  return (
    <Stack gap="xs">
      {html.en ? (
        <SegmentedControl
          size="xs"
          value={lang}
          onChange={(next) => setLang(next === 'en' ? 'en' : 'nl')}
          data={[
            { value: 'nl', label: 'Nederlands' },
            { value: 'en', label: 'English' },
          ]}
          aria-label={t('advisories.contentLanguage')}
        />
      ) : null}
      <Box lang={showEn ? 'en' : 'nl'}>
        <Title order={3} size="h4" mb="xs">
          {(showEn ? titles.en : titles.nl) || '—'}
        </Title>
        <Typography>
          {/* HTML rendered from Markdown and sanitised by the server's preview endpoint (src/lib/markdown.ts). */}
          <div className="advisory-html" data-testid="preview-body" dangerouslySetInnerHTML={{ __html: text.body }} />
          {text.advice ? (
            <>
              <Title order={4} size="h5" mt="sm">
                {t('advisories.sections.advice')}
              </Title>
              <div className="advisory-html" data-testid="preview-advice" dangerouslySetInnerHTML={{ __html: text.advice }} />
            </>
          ) : null}
        </Typography>
      </Box>
    </Stack>
  );
}

function Scores({ data }: { data: PreviewResult | undefined }) {
  const { t } = useTranslation();
  const scores = data?.scores ?? [];
  if (scores.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('advisories.preview.noScores')}
      </Text>
    );
  }
  return (
    <Table fz="xs" data-testid="preview-scores">
      <caption className="visually-hidden">{t('advisories.preview.scores')}</caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">#</Table.Th>
          <Table.Th scope="col">{t('advisories.fields.cve')}</Table.Th>
          <Table.Th scope="col">CVSS 3.x</Table.Th>
          <Table.Th scope="col">CVSS 4.0</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {scores.map((score) => (
          <Table.Tr key={score.index}>
            <Table.Td>{score.index + 1}</Table.Td>
            <Table.Td ff="monospace">{score.cve ?? '—'}</Table.Td>
            <Table.Td>
              <Score score={score.cvssV3} />
            </Table.Td>
            <Table.Td>
              <Score score={score.cvssV4} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function CsafPanel({ data }: { data: PreviewResult | undefined }) {
  const { t } = useTranslation();
  const csaf = data?.csaf;
  if (!csaf) {
    return (
      <Text size="sm" c="dimmed" data-testid="csaf-not-checked">
        {t('advisories.preview.csafNotChecked')}
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="csaf-validation" data-valid={csaf.valid}>
      {csaf.valid ? (
        <Alert color="green" variant="light" icon={<IconCircleCheck size={18} aria-hidden />}>
          {t('advisories.preview.csafValid')}
        </Alert>
      ) : (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} title={t('advisories.preview.csafInvalid')}>
          <CsafFailures failures={csaf.failures} />
        </Alert>
      )}
      <details>
        <summary>
          <Text span size="sm">
            {t('advisories.preview.showDocument')}
          </Text>
        </summary>
        <JsonBlock value={csaf.document} />
      </details>
    </Stack>
  );
}

/** The live preview beside the editor: rendered text, computed scores and the CSAF check. */
export function PreviewPanel({ data, fetching, error, titles }: PreviewPanelProps) {
  const { t } = useTranslation();
  const issues = data?.issues ?? [];
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="preview-title" data-testid="preview-panel">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="preview-title">
          {t('advisories.preview.title')}
        </Title>
        <Group gap="xs" role="status" aria-live="polite">
          {fetching ? (
            <>
              <Loader size="xs" aria-hidden />
              <span className="visually-hidden">{t('advisories.preview.updating')}</span>
            </>
          ) : null}
          {data ? (
            <Badge color={data.valid ? 'green' : 'red'} variant="light" size="sm" data-testid="preview-valid" data-valid={data.valid}>
              {data.valid ? t('advisories.preview.valid') : t('advisories.preview.problems', { count: Math.max(issues.length, 1) })}
            </Badge>
          ) : null}
        </Group>
      </Group>
      <ErrorAlert error={error} />
      {issues.length > 0 ? (
        <Alert color="red" variant="light" mb="xs" title={t('advisories.preview.issuesTitle')} data-testid="preview-issues">
          <List size="sm">
            {issues.map((issue, index) => (
              <List.Item key={`${issue.field}-${index}`}>
                <code>{issue.field.replace(/^content\./, '')}</code>: {issue.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      <Tabs defaultValue="rendered" keepMounted={false}>
        <Tabs.List mb="xs">
          <Tabs.Tab value="rendered">{t('advisories.preview.rendered')}</Tabs.Tab>
          <Tabs.Tab value="scores">{t('advisories.preview.scores')}</Tabs.Tab>
          <Tabs.Tab value="csaf">{t('advisories.preview.csaf')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rendered">
          <Rendered data={data} titles={titles} />
        </Tabs.Panel>
        <Tabs.Panel value="scores">
          <Scores data={data} />
        </Tabs.Panel>
        <Tabs.Panel value="csaf">
          <CsafPanel data={data} />
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}
