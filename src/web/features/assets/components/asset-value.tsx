import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Asset } from '../api';

/** The asset's identifying value, with product details for product assets. */
export function AssetValue({ asset }: { asset: Asset }) {
  const { t } = useTranslation();
  const product = asset.product;
  if (asset.type === 'product' && product) {
    return (
      <Stack gap={0}>
        <Group gap={4} wrap="nowrap">
          <Text size="sm" fw={500}>
            {product.vendor} {product.product}
            {product.version ? ` ${product.version}` : ''}
          </Text>
          {product.medicalDevice ? (
            <Badge size="xs" color="grape" variant="light">
              {t('asset.fields.medicalDevice')}
            </Badge>
          ) : null}
        </Group>
        {product.model || product.cpe || product.purl ? (
          <Text size="xs" c="dimmed" ff="monospace">
            {[product.model, product.cpe, product.purl].filter(Boolean).join(' · ')}
          </Text>
        ) : null}
      </Stack>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm" ff="monospace">
        {asset.value}
      </Text>
      {asset.type === 'domain' && asset.includeSubdomains ? (
        <Text size="xs" c="dimmed">
          (+ {t('asset.fields.includeSubdomains').toLowerCase()})
        </Text>
      ) : null}
    </Group>
  );
}
