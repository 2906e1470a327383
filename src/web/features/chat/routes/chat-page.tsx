import { Stack } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { PageHeader } from '../../../components/page-header';
import { RequestChat } from '../request-chat';
import { useChatT } from '../i18n';

const routeApi = getRouteApi('/_app/chat/$id');

/** /chat/$id: one chat, live. */
export function ChatPage() {
  const t = useChatT();
  const { id } = routeApi.useParams();
  return (
    <Stack>
      <PageHeader title={t('title')} />
      <RequestChat requestId={id} />
    </Stack>
  );
}
