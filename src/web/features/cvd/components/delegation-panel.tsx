import { Button, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { IconFileDownload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { api } from '../../../lib/api-client';
import { saveFile } from '../../../lib/save-file';
import { can, canFor } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';

interface DelegationProps {
  organisation: { id: string; kind: string; cvdDelegated: boolean };
}

/**
 * A participant that delegates its vulnerability disclosure to the CERT: the CERT switches it on,
 * and the CERT or the participant itself downloads the security.txt (RFC 9116) that points finders
 * at the CERT's form, plain or signed with the CERT's key. The server refuses what it cannot make
 * (not delegated, no https address) and says why.
 */
export function DelegationPanel({ organisation }: DelegationProps) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const path = `/api/v1/organisations/${encodeURIComponent(organisation.id)}`;
  const toggle = useMutation({
    mutationFn: (delegated: boolean) => api.put(`/api/v1/cvd/delegations/${encodeURIComponent(organisation.id)}`, { delegated }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['organisations'] }),
  });
  const download = useMutation({
    mutationFn: (signed: boolean) => api.get<string>(`${path}/security-txt`, { signed: signed ? 'true' : 'false' }),
    onSuccess: (text) => saveFile('security.txt', text, 'text/plain'),
  });
  if (organisation.kind !== 'participant') return null;
  const mayToggle = can(user.role, 'cvd:write');
  if (!mayToggle && !organisation.cvdDelegated) return null;
  const mayDownload = canFor(user, 'organisations:read', organisation.id);
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-delegation-title" data-testid="cvd-delegation">
      <Stack gap="xs">
        <Title order={2} size="h5" id="cvd-delegation-title">
          {t('cvd.delegation.title')}
        </Title>
        <Text size="sm">{t('cvd.delegation.intro')}</Text>
        {mayToggle ? (
          <Switch
            label={t('cvd.delegation.toggle')}
            checked={organisation.cvdDelegated}
            disabled={toggle.isPending}
            onChange={(event) => toggle.mutate(event.currentTarget.checked)}
            data-testid="cvd-delegation-toggle"
          />
        ) : null}
        {organisation.cvdDelegated && mayDownload ? (
          <Group>
            <Button variant="default" size="xs" leftSection={<IconFileDownload size={16} aria-hidden />} loading={download.isPending && download.variables === false} onClick={() => download.mutate(false)}>
              {t('cvd.delegation.download')}
            </Button>
            <Button variant="default" size="xs" leftSection={<IconFileDownload size={16} aria-hidden />} loading={download.isPending && download.variables === true} onClick={() => download.mutate(true)}>
              {t('cvd.delegation.downloadSigned')}
            </Button>
          </Group>
        ) : null}
        <ErrorAlert error={toggle.error ?? download.error} />
      </Stack>
    </Paper>
  );
}
