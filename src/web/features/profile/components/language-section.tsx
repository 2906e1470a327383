import { NativeSelect, Paper, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../components/error-alert';
import { changeLanguage } from '../../../i18n';
import { isLanguage, LANGUAGES, type Language } from '../../../i18n/language';
import { meQueryKey } from '../../auth/api';
import { useCurrentUser } from '../../auth/use-current-user';
import { profileApi } from '../api';

const NAMES: Record<Language, string> = { nl: 'Nederlands', en: 'English' };

export function LanguageSection() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const queryClient = useQueryClient();

  const save = useMutation({
    mutationFn: profileApi.setLocale,
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('common.saved') });
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
    onError: (error) =>
      notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) }),
  });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="language-heading">
      <Title order={2} size="h5" mb={4} id="language-heading">
        {t('profile.language.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('profile.language.help')}
      </Text>
      <NativeSelect
        label={t('profile.language.label')}
        name="locale"
        maw={240}
        value={isLanguage(user.locale) ? user.locale : 'nl'}
        disabled={save.isPending}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (!isLanguage(value)) return;
          // The interface follows immediately; the account setting is saved for e-mail.
          changeLanguage(value);
          save.mutate(value);
        }}
        data={LANGUAGES.map((lng) => ({ value: lng, label: NAMES[lng] }))}
      />
    </Paper>
  );
}
