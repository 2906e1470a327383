import { Group, Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { RouterAnchor } from '../../../components/router-links';
import { useOrganisationsById } from '../use-organisations-by-id';

/** The participant organisations a partner acts for, as links to their pages. */
export function PartnerClients({ clientIds }: { clientIds: readonly string[] }) {
  const { t } = useTranslation();
  const clients = useOrganisationsById(clientIds);
  const sorted = [...clients.organisations].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="partner-clients-heading">
      <Title order={2} size="h6" mb={4} id="partner-clients-heading">
        {t('organisationEdit.clients')}
      </Title>
      {clientIds.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('organisationEdit.noClients')}
        </Text>
      ) : clients.pending ? (
        <LoadingIndicator />
      ) : (
        <>
          <ErrorAlert error={clients.error} />
          <Group
            gap="md"
            component="ul"
            m={0}
            p={0}
            style={{ listStyle: 'none' }}
            data-testid="partner-clients"
          >
            {sorted.map((client) => (
              <li key={client.id}>
                <RouterAnchor to="/organisations/$id" params={{ id: client.id }} size="sm">
                  {client.name}
                </RouterAnchor>
              </li>
            ))}
          </Group>
        </>
      )}
    </Paper>
  );
}
