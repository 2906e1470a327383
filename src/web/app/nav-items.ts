import {
  IconApi,
  IconBook,
  IconBulb,
  IconBug,
  IconCalendarEvent,
  IconMessages,
  IconMessageCircle,
  IconMessageQuestion,
  IconBuildingHospital,
  IconChecklist,
  IconNews,
  IconFirstAidKit,
  IconHome,
  IconInbox,
  IconKey,
  IconListDetails,
  IconRadar,
  IconScan,
  IconShieldExclamation,
  IconUser,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { Role } from '../features/auth/api';
import { can } from '../features/auth/permissions';

export type NavKey =
  | 'dashboard'
  | 'organisations'
  | 'advisories'
  | 'zdn'
  | 'monitoring'
  | 'incidents'
  | 'cvd'
  | 'community'
  | 'meetings'
  | 'requests'
  | 'publications'
  | 'digests'
  | 'intake'
  | 'chat'
  | 'knowledge'
  | 'approvals'
  | 'users'
  | 'tokens'
  | 'audit'
  | 'profile'
  | 'apiReference';

export type NavPath =
  | '/'
  | '/organisations'
  | '/advisories'
  | '/zdn'
  | '/monitoring'
  | '/incidents'
  | '/cvd-cases'
  | '/community'
  | '/meetings'
  | '/requests'
  | '/publications'
  | '/digests'
  | '/intake'
  | '/chat'
  | '/knowledge'
  | '/approvals'
  | '/users'
  | '/tokens'
  | '/audit'
  | '/profile'
  | '/api-reference';

export interface NavItem {
  key: NavKey;
  to: NavPath;
  icon: Icon;
  /** Second key of the "g <key>" navigation shortcut. */
  goKey: string;
  visible: (role: Role) => boolean;
}

const everyone = () => true;

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'dashboard', to: '/', icon: IconHome, goKey: 'd', visible: everyone },
  { key: 'organisations', to: '/organisations', icon: IconBuildingHospital, goKey: 'o', visible: everyone },
  {
    key: 'advisories',
    to: '/advisories',
    icon: IconShieldExclamation,
    goKey: 'v',
    visible: (role) => can(role, 'advisories:read'),
  },
  { key: 'zdn', to: '/zdn', icon: IconRadar, goKey: 'z', visible: (role) => can(role, 'zdn:read') },
  { key: 'monitoring', to: '/monitoring', icon: IconScan, goKey: 'm', visible: (role) => can(role, 'monitoring:read') },
  { key: 'incidents', to: '/incidents', icon: IconFirstAidKit, goKey: 'i', visible: (role) => can(role, 'incidents:read') },
  { key: 'cvd', to: '/cvd-cases', icon: IconBug, goKey: 'c', visible: (role) => can(role, 'cvd:read') },
  { key: 'community', to: '/community', icon: IconMessages, goKey: 'y', visible: (role) => can(role, 'community:read') },
  { key: 'meetings', to: '/meetings', icon: IconCalendarEvent, goKey: 'e', visible: (role) => can(role, 'meetings:read') },
  { key: 'requests', to: '/requests', icon: IconMessageQuestion, goKey: 'q', visible: (role) => can(role, 'requests:read') },
  { key: 'chat', to: '/chat', icon: IconMessageCircle, goKey: 'h', visible: (role) => can(role, 'requests:read') },
  { key: 'knowledge', to: '/knowledge', icon: IconBulb, goKey: 'k', visible: (role) => can(role, 'publications:read') },
  { key: 'publications', to: '/publications', icon: IconBook, goKey: 'b', visible: (role) => can(role, 'publications:read') },
  { key: 'digests', to: '/digests', icon: IconNews, goKey: 'w', visible: (role) => can(role, 'digests:read') },
  { key: 'intake', to: '/intake', icon: IconInbox, goKey: 'n', visible: (role) => can(role, 'intake:read') },
  {
    key: 'approvals',
    to: '/approvals',
    icon: IconChecklist,
    goKey: 'a',
    visible: (role) => can(role, 'assets:decide'),
  },
  { key: 'users', to: '/users', icon: IconUsers, goKey: 'u', visible: (role) => can(role, 'users:read') },
  { key: 'tokens', to: '/tokens', icon: IconKey, goKey: 't', visible: everyone },
  {
    key: 'audit',
    to: '/audit',
    icon: IconListDetails,
    goKey: 'l',
    visible: (role) => can(role, 'audit:read'),
  },
  { key: 'profile', to: '/profile', icon: IconUser, goKey: 'p', visible: everyone },
  { key: 'apiReference', to: '/api-reference', icon: IconApi, goKey: 'r', visible: everyone },
];

export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.visible(role));
}
