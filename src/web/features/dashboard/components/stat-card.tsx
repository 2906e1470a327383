import type { ReactNode } from 'react';
import { Group, Paper, Skeleton, Stack, Text } from '@mantine/core';

interface StatCardProps {
  label: string;
  value: string | null;
  icon: ReactNode;
  footer?: ReactNode;
  testId?: string;
}

export function StatCard({ label, value, icon, footer, testId }: StatCardProps) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Text size="sm" c="dimmed">
            {label}
          </Text>
          {value === null ? (
            <Skeleton h={32} w={60} />
          ) : (
            <Text fz={28} fw={700} lh={1.2} data-testid={testId ? `${testId}-value` : undefined}>
              {value}
            </Text>
          )}
        </Stack>
        {icon}
      </Group>
      {footer ? <Group mt="xs">{footer}</Group> : null}
    </Paper>
  );
}
