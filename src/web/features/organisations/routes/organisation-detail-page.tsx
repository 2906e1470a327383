import { Badge, Button, Paper, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { AssetsTab } from '../../assets/components/assets-tab';
import { WebhooksTab } from '../../distribution/components/webhooks-tab';
import { isCertRole } from '../../auth/api';
import { can, canFor } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { organisationQuery, type Organisation } from '../api';
import { MembershipBadge } from '../components/organisation-badges';
import { ContactsTab } from '../components/contacts-tab';
import { OrganisationEditModal } from '../components/organisation-edit-modal';
import { PartnerClients } from '../components/partner-clients';
import { optionalEnum } from '../../../lib/search-params';
import { ORGANISATION_TABS } from '../search';
import { DelegationPanel } from '../../cvd/components/delegation-panel';

const routeApi = getRouteApi('/_app/organisations/$id');

function Summary({ organisation }: { organisation: Organisation }) {
  const { t } = useTranslation();
  const fields: { label: string; value: React.ReactNode }[] = [
    { label: t('organisation.fields.kind'), value: t(`organisation.kind.${organisation.kind}`) },
    {
      label: t('organisation.fields.segment'),
      value: organisation.segment ? t(`organisation.segment.${organisation.segment}`) : '—',
    },
    {
      label: t('organisation.fields.membershipStatus'),
      value: <MembershipBadge status={organisation.membershipStatus} />,
    },
    {
      label: t('organisation.fields.memberSince'),
      value: <DateTime value={organisation.memberSince} dateOnly />,
    },
    {
      label: t('organisation.fields.memberUntil'),
      value: <DateTime value={organisation.memberUntil} dateOnly />,
    },
    { label: t('organisation.fields.createdAt'), value: <DateTime value={organisation.createdAt} /> },
  ];
  return (
    <Paper withBorder p="sm" mb="md">
      <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} spacing="sm" component="dl" m={0}>
        {fields.map((field) => (
          <Stack gap={0} key={field.label}>
            <Text component="dt" size="xs" c="dimmed">
              {field.label}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {field.value}
            </Text>
          </Stack>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

export function OrganisationDetailPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const { tab = 'contacts' } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const user = useCurrentUser();
  const [editing, editModal] = useDisclosure(false);
  const query = useQuery(organisationQuery(id));

  if (query.isPending) return <LoadingIndicator />;
  if (query.isError) {
    return (
      <>
        <PageHeader title={t('nav.organisations')} />
        <ErrorAlert error={query.error} />
      </>
    );
  }
  const organisation = query.data;
  const canManageWebhooks = canFor(user, 'webhooks:manage', organisation.id);
  // A shared link to the webhooks tab opens the contacts for someone who may not manage them.
  const shownTab = tab === 'webhooks' && !canManageWebhooks ? 'contacts' : tab;

  return (
    <>
      <PageHeader
        title={organisation.name}
        description={
          organisation.shortName ? (
            <Badge variant="outline" color="gray" size="sm" component="span">
              {organisation.shortName}
            </Badge>
          ) : undefined
        }
        actions={
          can(user.role, 'organisations:update') ? (
            <Button
              variant="default"
              leftSection={<IconPencil size={16} aria-hidden />}
              onClick={editModal.open}
              data-testid="edit-organisation"
            >
              {t('organisationEdit.open')}
            </Button>
          ) : undefined
        }
      />
      <Summary organisation={organisation} />
      <DelegationPanel organisation={organisation} />
      {/* Only CERT roles may read the client organisations themselves. */}
      {organisation.kind === 'partner' && isCertRole(user.role) ? (
        <PartnerClients clientIds={organisation.clientOrganisationIds} />
      ) : null}
      {can(user.role, 'organisations:update') ? (
        <OrganisationEditModal organisation={organisation} opened={editing} onClose={editModal.close} />
      ) : null}
      <Tabs
        value={shownTab}
        onChange={(value) => {
          const next = optionalEnum(value, ORGANISATION_TABS);
          if (next) void navigate({ search: { tab: next }, replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List mb="sm">
          <Tabs.Tab value="contacts" data-testid="tab-contacts">
            {t('organisation.tabs.contacts')}
          </Tabs.Tab>
          <Tabs.Tab value="assets" data-testid="tab-assets">
            {t('organisation.tabs.assets')}
          </Tabs.Tab>
          {canManageWebhooks ? (
            <Tabs.Tab value="webhooks" data-testid="tab-webhooks">
              {t('organisation.tabs.webhooks')}
            </Tabs.Tab>
          ) : null}
        </Tabs.List>
        <Tabs.Panel value="contacts">
          <ContactsTab organisationId={organisation.id} />
        </Tabs.Panel>
        <Tabs.Panel value="assets">
          <AssetsTab organisationId={organisation.id} />
        </Tabs.Panel>
        {canManageWebhooks ? (
          <Tabs.Panel value="webhooks">
            <WebhooksTab organisationId={organisation.id} />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </>
  );
}
