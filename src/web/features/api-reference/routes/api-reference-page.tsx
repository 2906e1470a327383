import { useMemo, useState } from 'react';
import { Accordion, Anchor, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { OPENAPI_URL, openApiQuery } from '../api';
import { OperationPanel } from '../components/operation-panel';
import { groupByTag, readOperations } from '../openapi';

export function ApiReferencePage() {
  const { t } = useTranslation();
  const query = useQuery(openApiQuery);
  const [filter, setFilter] = useState('');

  const groups = useMemo(() => {
    if (!query.data) return [];
    const needle = filter.trim().toLowerCase();
    const operations = readOperations(query.data).filter(
      (op) =>
        !needle || `${op.method} ${op.path} ${op.summary} ${op.tag ?? ''}`.toLowerCase().includes(needle),
    );
    return groupByTag(query.data, operations);
  }, [query.data, filter]);

  return (
    <>
      <PageHeader
        title={t('nav.apiReference')}
        description={t('apiReference.intro')}
        actions={
          <Anchor href={OPENAPI_URL} size="sm" target="_blank" rel="noopener">
            {t('apiReference.download')}
          </Anchor>
        }
      />
      <TextInput
        label={t('apiReference.filter')}
        name="filter"
        leftSection={<IconSearch size={14} aria-hidden />}
        value={filter}
        onChange={(event) => setFilter(event.currentTarget.value)}
        maw={360}
        mb="md"
        data-page-search
      />
      {query.isPending ? <LoadingIndicator /> : null}
      <ErrorAlert error={query.error} />
      {query.isSuccess && groups.length === 0 ? (
        <Text c="dimmed">{t('apiReference.noOperations')}</Text>
      ) : null}
      <Stack gap="lg">
        {groups.map((group) => (
          <section key={group.tag ?? '__untagged'} aria-label={group.tag ?? t('apiReference.untagged')}>
            <Title order={2} size="h4" mb={4}>
              {group.tag ?? t('apiReference.untagged')}
            </Title>
            {group.description ? (
              <Text size="sm" c="dimmed" mb="xs">
                {group.description}
              </Text>
            ) : null}
            <Accordion multiple variant="separated" chevronPosition="right">
              {group.operations.map((operation) => (
                <OperationPanel key={operation.id} operation={operation} />
              ))}
            </Accordion>
          </section>
        ))}
      </Stack>
    </>
  );
}
