import { createContext, useContext, useMemo, useState } from 'react';
import { Alert, Checkbox, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { IconLink } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { CopyField } from '../../../components/copy-field';
import { columnHelper, DataTable } from '../../../components/data-table';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { optionalEnum } from '../../../lib/search-params';
import { PARTY_STATUS_LIST, type CvdCase, type CvdParty } from '../api';
import { usePatchParty, useReissueLink } from '../mutations';
import { AddPartyForm } from './add-party-form';
import { PartyKindBadge } from './cvd-badges';

const col = columnHelper<CvdParty>();

/** A private link as the server returned it: shown once here (it is also mailed), never again. */
export interface ShownLink {
  name: string;
  link: string;
}

interface PartyActions {
  cvd: CvdCase;
  patch: ReturnType<typeof usePatchParty>;
  reissue: ReturnType<typeof useReissueLink>;
  onLink: (shown: ShownLink) => void;
}

// The cells read the case and the actions from here, so the columns stay the same from one render
// to the next (new columns would remount the cells mid-request).
const PartyActionsContext = createContext<PartyActions | null>(null);

function useActions(): PartyActions {
  const actions = useContext(PartyActionsContext);
  if (!actions) throw new Error('The party cells are used inside PartiesPanel.');
  return actions;
}

function StatusCell({ party }: { party: CvdParty }) {
  const { t } = useTranslation();
  const { patch } = useActions();
  if (party.kind === 'finder') return <Text size="sm">—</Text>;
  return (
    <NativeSelect
      size="xs"
      aria-label={t('cvd.parties.statusOf', { name: party.name })}
      name={`status-${party.id}`}
      value={party.status}
      disabled={patch.isPending && patch.variables.partyId === party.id}
      onChange={(event) => {
        const status = optionalEnum(event.currentTarget.value, PARTY_STATUS_LIST);
        if (status) patch.mutate({ partyId: party.id, change: { status } });
      }}
      data={PARTY_STATUS_LIST.map((value) => ({ value, label: t(`cvd.partyStatus.${value}`) }))}
      data-testid="party-status-select"
    />
  );
}

/** Whether the party agrees to be named to the finder (for the finder: to the parties, which only the finder changes). */
function ConsentCell({ party }: { party: CvdParty }) {
  const { t } = useTranslation();
  const { cvd, patch } = useActions();
  if (party.kind === 'finder') {
    return <Text size="sm">{cvd.finderSharesIdentity ? t('cvd.parties.finderNamed') : t('cvd.parties.finderUnnamed')}</Text>;
  }
  return (
    <Checkbox
      aria-label={t('cvd.parties.consentOf', { name: party.name })}
      name={`consent-${party.id}`}
      checked={party.sharesIdentity}
      disabled={patch.isPending && patch.variables.partyId === party.id}
      onChange={(event) => patch.mutate({ partyId: party.id, change: { sharesIdentity: event.currentTarget.checked } })}
    />
  );
}

function LinkCell({ party }: { party: CvdParty }) {
  const { t } = useTranslation();
  const { reissue, onLink } = useActions();
  const name = party.name || t('cvd.parties.anonymousFinder');
  if (party.organisationId) return <Text size="sm">{t('cvd.parties.viaPortal')}</Text>;
  return (
    <ConfirmButton
      size="compact-xs"
      variant="light"
      leftSection={<IconLink size={12} aria-hidden />}
      message={t('cvd.parties.reissueConfirm', { name })}
      loading={reissue.isPending && reissue.variables === party.id}
      onConfirm={() => reissue.mutate(party.id, { onSuccess: ({ privateLink }) => privateLink && onLink({ name, link: privateLink }) })}
    >
      {t('cvd.parties.reissue')}
    </ConfirmButton>
  );
}

/**
 * Who takes part: the finder, the participants, manufacturers and other CERTs, each with its own
 * status and consent to be named to the finder, and a new private link for those without an account.
 */
export function PartiesPanel({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<ShownLink | null>(null);
  const patch = usePatchParty(cvd.id);
  const reissue = useReissueLink(cvd.id);
  const actions = useMemo(() => ({ cvd, patch, reissue, onLink: setShown }), [cvd, patch, reissue]);
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('kind', { header: () => t('cvd.parties.kind'), cell: (info) => <PartyKindBadge kind={info.getValue()} /> }),
        col.accessor('name', {
          header: () => t('cvd.parties.name'),
          cell: (info) => {
            const p = info.row.original;
            const name = p.name || t('cvd.parties.anonymousFinder');
            return (
              <Stack gap={0} data-testid="party-name" data-name={name}>
                {p.organisationId ? (
                  <RouterAnchor to="/organisations/$id" params={{ id: p.organisationId }} size="sm" fw={500}>
                    {name}
                  </RouterAnchor>
                ) : (
                  <Text size="sm" fw={500}>
                    {name}
                  </Text>
                )}
                {p.email ? (
                  <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {p.email}
                  </Text>
                ) : null}
              </Stack>
            );
          },
        }),
        col.accessor('status', { header: () => t('cvd.parties.status'), cell: (info) => <StatusCell party={info.row.original} /> }),
        col.accessor('sharesIdentity', { header: () => t('cvd.parties.consent'), cell: (info) => <ConsentCell party={info.row.original} /> }),
        col.accessor('hasPrivateLink', { header: () => t('cvd.parties.access'), cell: (info) => <LinkCell party={info.row.original} /> }),
      ]),
    [t],
  );

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-parties-title" data-testid="cvd-parties">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-parties-title">
          {t('cvd.parties.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('cvd.parties.help')}
        </Text>
        <PartyActionsContext.Provider value={actions}>
          <DataTable data={cvd.parties} columns={columns} caption={t('cvd.parties.title')} getRowId={(p) => p.id} emptyText={t('cvd.parties.none')} testId="cvd-parties-table" />
        </PartyActionsContext.Provider>
        <ErrorAlert error={patch.error ?? reissue.error} />
        {shown ? (
          <Alert color="blue" variant="light" withCloseButton closeButtonLabel={t('common.close')} onClose={() => setShown(null)} data-testid="cvd-private-link">
            <Stack gap="xs">
              <Text size="sm">{t('cvd.parties.linkOnce', { name: shown.name })}</Text>
              <CopyField label={t('cvd.parties.privateLink')} value={shown.link} testId="cvd-private-link-value" />
            </Stack>
          </Alert>
        ) : null}
        <AddPartyForm cvd={cvd} onLink={setShown} />
      </Stack>
    </Paper>
  );
}
