import { Badge, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { articleQuery } from '../api';

const routeApi = getRouteApi('/_app/knowledge/$id');

/** One article. Only the CERT sees the request it was made from (the server leaves it out for others). */
export function KnowledgeArticlePage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const query = useQuery(articleQuery(id));
  const a = query.data;
  if (!a) return <ErrorAlert error={query.error} />;
  return (
    <>
      <PageHeader
        title={a.title}
        description={
          <Group gap={4}>
            <Badge color={a.tlp === 'CLEAR' ? 'gray' : 'green'}>TLP:{a.tlp}</Badge>
            {a.tags.map((tag) => (
              <Badge key={tag} variant="light">
                {tag}
              </Badge>
            ))}
            <Text size="sm">
              <DateTime value={a.updatedAt} dateOnly />
            </Text>
          </Group>
        }
      />
      {a.sourceRequest ? (
        <Text size="sm" mb="md">
          {t('requests.knowledge.source')}{' '}
          <RouterAnchor to="/requests/$id" params={{ id: a.sourceRequest.id }}>
            {a.sourceRequest.reference}
          </RouterAnchor>
        </Text>
      ) : null}
      {/* bodyHtml is the server's sanitised Markdown rendering (src/lib/markdown.ts). */}
      <div className="markdown-body" lang={a.language} dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
    </>
  );
}
