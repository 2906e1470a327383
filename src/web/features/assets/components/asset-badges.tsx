import { Badge, List, Popover, Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AssetOverlap, AssetStatus } from '../api';

const STATUS_COLOR: Record<AssetStatus, string> = {
  proposed: 'yellow',
  approved: 'green',
  rejected: 'red',
};

export function AssetStatusBadge({ status }: { status: AssetStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size="sm">
      {t(`asset.status.${status}`)}
    </Badge>
  );
}

/** Warning that another organisation already claims (part of) this asset. */
export function OverlapBadge({ overlaps }: { overlaps: AssetOverlap[] }) {
  const { t } = useTranslation();
  if (overlaps.length === 0) return null;
  const names = [...new Set(overlaps.map((overlap) => overlap.organisationName))].join(', ');
  return (
    <Popover position="bottom-start" withArrow shadow="md">
      <Popover.Target>
        <UnstyledButton aria-label={t('asset.overlapWarning', { names })} data-testid="overlap-badge">
          <Badge
            color="orange"
            variant="light"
            size="sm"
            leftSection={<IconAlertTriangle size={12} aria-hidden />}
            component="span"
          >
            {t('asset.overlapWarning', { names })}
          </Badge>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="xs" fw={600} mb={4}>
          {t('asset.overlapTitle')}
        </Text>
        <List size="xs">
          {overlaps.map((overlap) => (
            <List.Item key={overlap.assetId}>
              {overlap.organisationName}: <code>{overlap.value}</code>
            </List.Item>
          ))}
        </List>
      </Popover.Dropdown>
    </Popover>
  );
}
