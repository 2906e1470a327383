import { useCallback, useMemo } from 'react';
import {
  ActionIcon,
  AppShell,
  Burger,
  Button,
  Group,
  Kbd,
  ScrollArea,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { IconKeyboard, IconSearch } from '@tabler/icons-react';
import { Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { RouterNavLink } from '../components/router-links';
import { useCurrentUser } from '../features/auth/use-current-user';
import { InboxBell } from '../features/inbox/components/inbox-bell';
import { CommandPalette } from './command-palette';
import { navItemsFor, type NavItem } from './nav-items';
import { ShortcutsOverlay } from './shortcuts-overlay';
import { useGoShortcuts } from './use-go-shortcuts';
import { useRealtime } from './use-realtime';
import { UserMenu } from './user-menu';

function isActive(pathname: string, to: string): boolean {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

export function AppLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const [navOpened, nav] = useDisclosure(false);
  const [helpOpened, help] = useDisclosure(false);
  const items = useMemo(() => navItemsFor(user.role), [user.role]);

  const go = useCallback((item: NavItem) => void navigate({ to: item.to }), [navigate]);
  useGoShortcuts(items, go, help.open);
  useRealtime();

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('shell.toggleNavigation')}
            />
            <Title order={2} size="h4" c="blue.9">
              Wachtpost
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="md" data-testid="organisation-name">
              {user.organisationName}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Button
              variant="default"
              size="xs"
              leftSection={<IconSearch size={14} aria-hidden />}
              rightSection={<Kbd size="xs">Ctrl K</Kbd>}
              onClick={() => spotlight.open()}
              visibleFrom="sm"
            >
              {t('palette.open')}
            </Button>
            <Tooltip label={t('shortcuts.title')}>
              <ActionIcon variant="subtle" color="gray" onClick={help.open} aria-label={t('shortcuts.title')}>
                <IconKeyboard size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <InboxBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label={t('shell.mainNavigation')}>
        <AppShell.Section grow component={ScrollArea}>
          {items.map((item) => {
            const Icon = item.icon;
            const active = isActive(pathname, item.to);
            return (
              <RouterNavLink
                key={item.key}
                to={item.to}
                label={t(`nav.${item.key}`)}
                leftSection={<Icon size={18} aria-hidden />}
                active={active}
                aria-current={active ? 'page' : undefined}
                onClick={nav.close}
                data-testid={`nav-${item.key}`}
              />
            );
          })}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>

      <CommandPalette items={items} />
      <ShortcutsOverlay opened={helpOpened} onClose={help.close} items={items} />
    </AppShell>
  );
}
