import type { ReactNode } from 'react';
import { Anchor, Badge, Box, Group, List, Paper, SimpleGrid, Stack, Table, Text, Title, Typography } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AdvisoryContent, RenderedText } from '../api';
import { UrgencyBadge } from './advisory-badges';
import { CvssScore } from './cvss-score';

export type ContentLanguage = 'nl' | 'en';

interface AdvisoryViewProps {
  content: AdvisoryContent;
  /** The server's HTML of body and advice in the chosen language; null while it is not there yet. */
  html: RenderedText | null;
  /** True while the HTML is on its way; without HTML and not pending, the Markdown is shown as text. */
  htmlPending?: boolean;
  lang: ContentLanguage;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const id = `section-${testId}`;
  return (
    <Box component="section" aria-labelledby={id} mb="lg" data-testid={testId}>
      <Title order={2} size="h4" mb="xs" id={id}>
        {title}
      </Title>
      {children}
    </Box>
  );
}

/** Server-rendered Markdown. */
function Html({ html, testId }: { html: string; testId: string }) {
  return (
    <Typography>
      {/* Rendered from Markdown and sanitised by the server (sanitize-html, src/lib/markdown.ts) when the
          revision was published or the preview was made; it is never built from text in the browser. */}
      <div className="advisory-html" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}

/** The Markdown source as plain text, for a draft the server could not render (yet). */
function Markdown({ text, pending }: { text: string; pending: boolean }) {
  const { t } = useTranslation();
  if (pending) return <Text size="sm">{t('common.loading')}</Text>;
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
      {text}
    </Text>
  );
}

function Facts({ content }: { content: AdvisoryContent }) {
  const { t } = useTranslation();
  const facts: { label: string; value: ReactNode }[] = [
    { label: t('advisories.fields.urgency'), value: <UrgencyBadge urgency={content.urgency} /> },
    {
      label: t('advisories.fields.probabilityImpact'),
      value: (
        <span data-testid="probability-impact">
          {t('advisories.probabilityTimesImpact', {
            probability: t(`advisories.level.${content.probability}`),
            impact: t(`advisories.level.${content.impact}`),
          })}
        </span>
      ),
    },
    {
      label: t('advisories.fields.tags'),
      value:
        content.tags.length > 0 ? (
          <Group gap={4} component="span">
            {content.tags.map((tag) => (
              <Badge key={tag} variant="outline" color="gray" size="sm" component="span">
                {tag}
              </Badge>
            ))}
          </Group>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <Paper withBorder p="sm" mb="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" component="dl" m={0}>
        {facts.map((fact) => (
          <Stack gap={2} key={fact.label}>
            <Text component="dt" size="xs" c="dimmed">
              {fact.label}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {fact.value}
            </Text>
          </Stack>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

function VulnerabilitiesTable({ content }: { content: AdvisoryContent }) {
  const { t } = useTranslation();
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table striped data-testid="vulnerabilities-table">
        <caption className="visually-hidden">{t('advisories.sections.vulnerabilities')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('advisories.fields.cve')}</Table.Th>
            <Table.Th scope="col">{t('advisories.fields.vulnerabilityTitle')}</Table.Th>
            <Table.Th scope="col">{t('advisories.fields.cwe')}</Table.Th>
            <Table.Th scope="col">CVSS 3.x</Table.Th>
            <Table.Th scope="col">CVSS 4.0</Table.Th>
            <Table.Th scope="col">{t('advisories.fields.knownExploited')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {content.vulnerabilities.map((vulnerability, index) => (
            <Table.Tr key={`${vulnerability.cve ?? 'no-cve'}-${index}`}>
              <Table.Td className="nowrap" ff="monospace">
                {vulnerability.cve ?? '—'}
              </Table.Td>
              <Table.Td>{vulnerability.title || '—'}</Table.Td>
              <Table.Td>{vulnerability.cwe ? `${vulnerability.cwe.id}: ${vulnerability.cwe.name}` : '—'}</Table.Td>
              <Table.Td>
                <CvssScore version="v3" vector={vulnerability.cvssV3} />
                {vulnerability.cvssV3 ? (
                  <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {vulnerability.cvssV3}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <CvssScore version="v4" vector={vulnerability.cvssV4} />
                {vulnerability.cvssV4 ? (
                  <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {vulnerability.cvssV4}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                {vulnerability.knownExploited ? (
                  <Badge
                    color="red"
                    variant="filled"
                    size="sm"
                    component="span"
                    leftSection={<IconAlertTriangle size={12} aria-hidden />}
                    data-testid="kev-badge"
                  >
                    {t('advisories.kev')}
                  </Badge>
                ) : (
                  t('common.no')
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

function VulnerabilityDetails({ content }: { content: AdvisoryContent }) {
  const { t } = useTranslation();
  const productName = (id: string) => {
    const product = content.products.find((candidate) => candidate.id === id);
    return product ? `${product.vendor} ${product.name}${product.versions ? ` ${product.versions}` : ''}` : id;
  };
  const detailed = content.vulnerabilities.filter((v) => v.description || v.productStatus.length > 0 || v.remediations.length > 0);
  if (detailed.length === 0) return null;
  return (
    <Stack gap="sm" mt="sm">
      {detailed.map((vulnerability, index) => (
        <Paper withBorder p="sm" key={`${vulnerability.cve ?? 'no-cve'}-${index}`}>
          <Title order={3} size="h5" mb={4}>
            {[vulnerability.cve, vulnerability.title].filter(Boolean).join(' · ') || t('advisories.editor.vulnerabilityN', { n: index + 1 })}
          </Title>
          {vulnerability.description ? (
            <Text size="sm" mb="xs" style={{ whiteSpace: 'pre-wrap' }}>
              {vulnerability.description}
            </Text>
          ) : null}
          {vulnerability.productStatus.length > 0 ? (
            <List size="sm" mb="xs">
              {vulnerability.productStatus.map((entry) => (
                <List.Item key={entry.productId}>
                  {productName(entry.productId)}: <strong>{t(`advisories.productStatus.${entry.status}`)}</strong>
                </List.Item>
              ))}
            </List>
          ) : null}
          {vulnerability.remediations.length > 0 ? (
            <>
              <Text size="sm" fw={600}>
                {t('advisories.fields.remediations')}
              </Text>
              <List size="sm">
                {vulnerability.remediations.map((remediation, ri) => (
                  <List.Item key={ri}>
                    <strong>{t(`advisories.remediation.${remediation.category}`)}</strong>
                    {remediation.fixedVersion ? ` (${t('advisories.fields.fixedVersion')}: ${remediation.fixedVersion})` : ''}: {remediation.details}
                    {remediation.url ? (
                      <>
                        {' '}
                        <Anchor href={remediation.url} target="_blank" rel="noopener noreferrer" size="sm">
                          {remediation.url}
                        </Anchor>
                      </>
                    ) : null}
                    <Text size="xs" c="dimmed">
                      {remediation.productIds.map(productName).join(', ')}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </>
          ) : null}
        </Paper>
      ))}
    </Stack>
  );
}

function ProductsTable({ content }: { content: AdvisoryContent }) {
  const { t } = useTranslation();
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table striped data-testid="products-table">
        <caption className="visually-hidden">{t('advisories.sections.products')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('advisories.fields.productId')}</Table.Th>
            <Table.Th scope="col">{t('advisories.fields.vendor')}</Table.Th>
            <Table.Th scope="col">{t('advisories.fields.productName')}</Table.Th>
            <Table.Th scope="col">{t('advisories.fields.versions')}</Table.Th>
            <Table.Th scope="col">{t('advisories.fields.identification')}</Table.Th>
            <Table.Th scope="col">{t('advisories.fields.medicalDevice')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {content.products.map((product) => (
            <Table.Tr key={product.id}>
              <Table.Td ff="monospace">{product.id}</Table.Td>
              <Table.Td>{product.vendor}</Table.Td>
              <Table.Td>{product.name}</Table.Td>
              <Table.Td>{product.versions || t('advisories.allVersions')}</Table.Td>
              <Table.Td>
                {product.cpe || product.purl ? (
                  <Stack gap={0}>
                    {product.cpe ? (
                      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {product.cpe}
                      </Text>
                    ) : null}
                    {product.purl ? (
                      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {product.purl}
                      </Text>
                    ) : null}
                  </Stack>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>{product.medicalDevice ? (product.model ? `${t('common.yes')} (${product.model})` : t('common.yes')) : t('common.no')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

/** One product's content as readers see it: the text, the facts, vulnerabilities and products. */
export function AdvisoryView({ content, html, htmlPending = false, lang }: AdvisoryViewProps) {
  const { t } = useTranslation();
  const text = (lang === 'en' ? content.en : null) ?? content.nl;
  return (
    <div lang={text === content.en ? 'en' : 'nl'} data-testid="advisory-view">
      {text.summary ? (
        <Text size="md" mb="md" fw={500} data-testid="advisory-summary">
          {text.summary}
        </Text>
      ) : null}
      <Facts content={content} />
      {text.body ? (
        <Section title={t('advisories.sections.description')} testId="advisory-body">
          {html ? <Html html={html.body} testId="advisory-body-html" /> : <Markdown text={text.body} pending={htmlPending} />}
        </Section>
      ) : null}
      {text.advice ? (
        <Section title={t('advisories.sections.advice')} testId="advisory-advice">
          {html ? <Html html={html.advice} testId="advisory-advice-html" /> : <Markdown text={text.advice} pending={htmlPending} />}
        </Section>
      ) : null}
      {content.vulnerabilities.length > 0 ? (
        <Section title={t('advisories.sections.vulnerabilities')} testId="vulnerabilities">
          <VulnerabilitiesTable content={content} />
          <VulnerabilityDetails content={content} />
        </Section>
      ) : null}
      {content.products.length > 0 ? (
        <Section title={t('advisories.sections.products')} testId="products">
          <ProductsTable content={content} />
        </Section>
      ) : null}
      {content.references.length > 0 ? (
        <Section title={t('advisories.sections.references')} testId="references">
          <List size="sm">
            {content.references.map((reference) => (
              <List.Item key={reference.url}>
                <Anchor href={reference.url} target="_blank" rel="noopener noreferrer" size="sm">
                  {reference.summary || reference.url}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Section>
      ) : null}
      {content.sources.length > 0 ? (
        <Section title={t('advisories.sections.sources')} testId="sources">
          <List size="sm">
            {content.sources.map((source, index) => (
              <List.Item key={`${source.name}-${index}`}>
                {source.url ? (
                  <Anchor href={source.url} target="_blank" rel="noopener noreferrer" size="sm">
                    {source.name}
                  </Anchor>
                ) : (
                  source.name
                )}
                {source.reference ? ` (${source.reference})` : ''}
              </List.Item>
            ))}
          </List>
        </Section>
      ) : null}
    </div>
  );
}
