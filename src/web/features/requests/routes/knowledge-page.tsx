import { useState } from 'react';
import { Badge, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { articlesQuery } from '../api';

/** The knowledge base: anonymised answers of the CERT that every participant may read. */
export function KnowledgePage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 300);
  const query = useQuery(articlesQuery(debounced));
  const rows = query.data ?? [];
  return (
    <>
      <PageHeader title={t('requests.knowledge.title')} description={t('requests.knowledge.intro')} />
      <TextInput
        mb="md"
        aria-label={t('requests.knowledge.search')}
        placeholder={t('requests.knowledge.search')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
      />
      <ErrorAlert error={query.error} />
      <Stack gap="sm">
        {rows.map((a) => (
          <Card key={a.id} withBorder padding="sm">
            <Group justify="space-between">
              <RouterAnchor to="/knowledge/$id" params={{ id: a.id }} fw={600}>
                {a.title}
              </RouterAnchor>
              <Text size="xs" c="dimmed">
                <DateTime value={a.updatedAt} dateOnly />
              </Text>
            </Group>
            <Group gap={4} mt={4}>
              <Badge size="sm" color={a.tlp === 'CLEAR' ? 'gray' : 'green'}>
                TLP:{a.tlp}
              </Badge>
              <Badge size="sm" variant="outline">
                {a.language.toUpperCase()}
              </Badge>
              {a.tags.map((tag) => (
                <Badge key={tag} size="sm" variant="light">
                  {tag}
                </Badge>
              ))}
            </Group>
          </Card>
        ))}
      </Stack>
      {!query.isPending && rows.length === 0 ? (
        <Text c="dimmed" mt="sm">
          {t('requests.knowledge.empty')}
        </Text>
      ) : null}
    </>
  );
}
