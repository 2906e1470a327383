import { Checkbox, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { OWN_STATUS_LIST, type PartyView } from '../api';
import { usePartyUpdate } from '../mutations';
import { CvdStatusBadge, PartyStatusBadge } from './cvd-badges';

/**
 * The embargo and where the party stands: it records its own status (acknowledged, fix planned,
 * fixed, not affected) and whether it agrees to be named to the finder; both are saved as changed.
 */
export function PartyStatusPanel({ view, canRespond }: { view: PartyView; canRespond: boolean }) {
  const { t } = useTranslation();
  const update = usePartyUpdate(view.id);
  const own = view.party.status;
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-party-status-title" data-testid="cvd-party-status">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-party-status-title">
          {t('cvd.partyPage.statusTitle')}
        </Title>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={500}>
            {t('cvd.fields.embargo')}:
          </Text>
          <Text size="sm" data-testid="cvd-embargo">
            <DateTime value={view.disclosureDue} dateOnly />
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {t('cvd.partyPage.embargoHelp')}
        </Text>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={500}>
            {t('cvd.partyPage.caseStatus')}:
          </Text>
          <CvdStatusBadge status={view.status} />
          <Text size="sm" fw={500}>
            {t('cvd.partyPage.ourStatus')}:
          </Text>
          <PartyStatusBadge status={own} />
        </Group>
        {canRespond ? (
          <>
            <NativeSelect
              label={t('cvd.partyPage.setStatus')}
              name="status"
              value={own === 'notified' ? '' : own}
              disabled={update.isPending}
              onChange={(event) => {
                const status = optionalEnum(event.currentTarget.value, OWN_STATUS_LIST);
                if (status) update.mutate({ status });
              }}
              data={[...(own === 'notified' ? [{ value: '', label: t('cvd.partyStatus.notified') }] : []), ...OWN_STATUS_LIST.map((value) => ({ value, label: t(`cvd.partyStatus.${value}`) }))]}
              w={260}
              data-testid="cvd-own-status"
            />
            <Checkbox
              label={t('cvd.partyPage.consent')}
              description={t('cvd.partyPage.consentHelp')}
              name="sharesIdentity"
              checked={view.party.sharesIdentity}
              disabled={update.isPending}
              onChange={(event) => update.mutate({ sharesIdentity: event.currentTarget.checked })}
            />
          </>
        ) : null}
        <ErrorAlert error={update.error} />
      </Stack>
    </Paper>
  );
}
