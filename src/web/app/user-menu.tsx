import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLanguage, IconLogout, IconUser } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { notifications } from '@mantine/notifications';
import { setCsrfToken } from '../lib/api-client';
import { changeLanguage } from '../i18n';
import { LANGUAGES } from '../i18n/language';
import { errorMessage } from '../components/error-alert';
import { authApi } from '../features/auth/api';
import { useCurrentUser } from '../features/auth/use-current-user';

export function UserMenu() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();

  const logout = useMutation({
    mutationFn: authApi.logout,
    // A full page load drops every cached response of this session from memory.
    onSuccess: () => {
      setCsrfToken(null);
      window.location.assign('/login');
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: t('userMenu.logoutFailed'),
        message: errorMessage(error, ''),
      }),
  });

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        {/* Named after the user so the visible text stays part of the accessible name. */}
        <UnstyledButton
          aria-label={user.name}
          title={t('userMenu.label', { name: user.name })}
          data-testid="user-menu"
        >
          <Group gap={6} wrap="nowrap">
            <Avatar size="sm" radius="xl" color="blue" aria-hidden>
              <IconUser size={16} />
            </Avatar>
            <Text size="sm" visibleFrom="sm">
              {user.name}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.email} · {t(`roles.${user.role}`)}
        </Menu.Label>
        <Menu.Item
          leftSection={<IconUser size={16} aria-hidden />}
          onClick={() => void navigate({ to: '/profile' })}
        >
          {t('nav.profile')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>
          <Group gap={4}>
            <IconLanguage size={14} aria-hidden />
            {t('common.language')}
          </Group>
        </Menu.Label>
        {LANGUAGES.map((language) => (
          <Menu.Item
            key={language}
            lang={language}
            onClick={() => changeLanguage(language)}
            aria-current={i18n.resolvedLanguage === language ? 'true' : undefined}
            fw={i18n.resolvedLanguage === language ? 700 : undefined}
            data-testid={`language-${language}`}
          >
            {language === 'nl' ? 'Nederlands' : 'English'}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => logout.mutate()}
          data-testid="logout"
        >
          {t('userMenu.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
