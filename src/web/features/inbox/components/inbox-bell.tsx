import { Indicator, Tooltip } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { RouterActionIcon } from '../../../components/router-links';
import { unreadCountQuery } from '../api';

// Beyond this the exact number no longer matters and would not fit the dot.
const MAX_SHOWN = 99;

/** The header's way into the portal inbox, with the unread count (kept live by use-realtime.ts). */
export function InboxBell() {
  const { t } = useTranslation();
  const query = useQuery(unreadCountQuery);
  const unread = query.data?.unread ?? 0;
  const label = unread > 0 ? t('inbox.bellUnread', { count: unread }) : t('inbox.title');
  return (
    <Indicator label={unread > MAX_SHOWN ? `${MAX_SHOWN}+` : unread} size={16} color="red" offset={4} disabled={unread === 0}>
      <Tooltip label={label}>
        <RouterActionIcon to="/inbox" variant="subtle" color="gray" aria-label={label} data-testid="inbox-bell" data-unread={query.data ? unread : undefined}>
          <IconBell size={18} aria-hidden />
        </RouterActionIcon>
      </Tooltip>
    </Indicator>
  );
}
