import { Stack } from '@mantine/core';
import { PageHeader } from '../../../components/page-header';
import { useCurrentUser } from '../../auth/use-current-user';
import { can } from '../../auth/permissions';
import { ChatList, ChatQueue } from '../chat-list';
import { StartChat } from '../start-chat';
import { useChatT } from '../i18n';

/** /chat: the CERT's queue and ongoing chats, or a participant's "chat with the CERT" and its chats. */
export function ChatsPage() {
  const t = useChatT();
  const user = useCurrentUser();
  const cert = can(user.role, 'requests:answer');
  return (
    <Stack>
      <PageHeader title={t('title')} />
      {cert ? (
        <>
          <ChatQueue />
          <ChatList state="active" title={t('active')} />
        </>
      ) : (
        <>
          {can(user.role, 'requests:ask') && <StartChat />}
          <ChatList title={t('myChats')} />
        </>
      )}
    </Stack>
  );
}
