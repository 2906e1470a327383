import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuildingPlus, IconDeviceHeartMonitor, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import type { CvdCase } from '../api';
import { useAddProductParties, useAddScopeParties, useRecheckScope } from '../mutations';

/**
 * Whom the report concerns, as the scope check matched the target against the participants'
 * declared assets and products (or the CERT handles reports for them): each with what matched.
 */
export function ScopePanel({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const recheck = useRecheckScope(cvd.id);
  const addAll = useAddScopeParties(cvd.id);
  const addProduct = useAddProductParties(cvd.id);
  const { organisations, checkedAt, outOfScope } = cvd.scope;
  const partyOrgs = new Set(cvd.parties.map((p) => p.organisationId));
  const notYet = organisations.filter((o) => !partyOrgs.has(o.id));

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-scope-title" data-testid="cvd-scope">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-scope-title">
          {t('cvd.scope.title')}
        </Title>
        {checkedAt === null ? (
          <Text size="sm" c="dimmed">
            {t('cvd.scope.notChecked')}
          </Text>
        ) : outOfScope ? (
          <Alert color="orange" variant="light" data-testid="cvd-out-of-scope">
            {t('cvd.scope.outOfScope')}
          </Alert>
        ) : (
          <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {organisations.map((o) => (
              <Group key={o.id} component="li" gap="xs" wrap="wrap" data-testid="cvd-scope-organisation" data-organisation={o.name}>
                <RouterAnchor to="/organisations/$id" params={{ id: o.id }} size="sm" fw={500}>
                  {o.name}
                </RouterAnchor>
                <Badge variant="light" size="xs" component="span">
                  {t(`cvd.scope.via.${o.via}`)}
                </Badge>
                <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {o.matched}
                </Text>
                {partyOrgs.has(o.id) ? (
                  <Badge color="green" variant="light" size="xs" component="span">
                    {t('cvd.scope.isParty')}
                  </Badge>
                ) : null}
              </Group>
            ))}
          </Stack>
        )}
        {checkedAt ? (
          <Text size="xs" c="dimmed">
            {t('cvd.scope.checkedAt')} <DateTime value={checkedAt} />
          </Text>
        ) : null}
        <Group gap="xs" wrap="wrap">
          <Button size="xs" variant="default" leftSection={<IconRefresh size={14} aria-hidden />} loading={recheck.isPending} onClick={() => recheck.mutate()}>
            {t('cvd.scope.recheck')}
          </Button>
          {organisations.length > 0 ? (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconBuildingPlus size={14} aria-hidden />}
              disabled={notYet.length === 0}
              loading={addAll.isPending}
              onClick={() => addAll.mutate()}
              data-testid="cvd-add-scope-parties"
            >
              {notYet.length > 0 ? t('cvd.scope.addAll', { count: notYet.length }) : t('cvd.scope.allAreParties')}
            </Button>
          ) : null}
          {cvd.targetKind === 'product' ? (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconDeviceHeartMonitor size={14} aria-hidden />}
              loading={addProduct.isPending}
              onClick={() =>
                addProduct.mutate(undefined, {
                  onSuccess: ({ added }) => notifications.show({ color: added ? 'green' : 'gray', message: t('cvd.scope.productAdded', { count: added }) }),
                })
              }
              data-testid="cvd-add-product-parties"
            >
              {t('cvd.scope.addProduct')}
            </Button>
          ) : null}
        </Group>
        <ErrorAlert error={recheck.error ?? addAll.error ?? addProduct.error} />
      </Stack>
    </Paper>
  );
}
