import { Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function LoadingIndicator({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" role="status" py="xs">
      <Loader size="xs" />
      <Text size="sm" c="dimmed">
        {label ?? t('common.loading')}
      </Text>
    </Group>
  );
}
