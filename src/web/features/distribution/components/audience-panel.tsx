import { Box, Button, Collapse, Group, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconUsersGroup } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { tlpLabel } from '#lib/tlp.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { audienceQuery } from '../api';
import { useAudienceSentence } from '../use-audience-sentence';
import { AudienceTable } from './audience-table';

interface AudiencePanelProps {
  productId: string;
  /** In the editor with unsaved changes: the audience is that of the saved draft. */
  unsavedChanges?: boolean;
}

/**
 * Who the next publication would reach, resolved by the server exactly as publication will: shown
 * to the analyst before approving or publishing, so a wrong marking or recipient list shows up as
 * a surprising number rather than as mail to the wrong people.
 */
export function AudiencePanel({ productId, unsavedChanges = false }: AudiencePanelProps) {
  const { t } = useTranslation();
  const query = useQuery(audienceQuery(productId));
  const sentence = useAudienceSentence();
  const [opened, details] = useDisclosure(false);
  const audience = query.data;
  const extras = audience
    ? [
        audience.summary.failingAddresses > 0 ? t('distribution.counts.failing', { count: audience.summary.failingAddresses }) : null,
        t('distribution.counts.webhooks', { count: audience.summary.webhooks }),
        t('distribution.counts.users', { count: audience.summary.users }),
      ].filter((part): part is string => part !== null)
    : [];

  return (
    <Box component="section" aria-labelledby="audience-title" data-testid="audience-panel">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap={6}>
          <IconUsersGroup size={16} aria-hidden />
          <Title order={3} size="h6" id="audience-title">
            {t('distribution.audience.title')}
          </Title>
        </Group>
        {audience && audience.organisations.length > 0 ? (
          <Button variant="subtle" size="compact-xs" onClick={details.toggle} aria-expanded={opened} aria-controls="audience-details">
            {opened ? t('distribution.audience.hideDetails') : t('distribution.audience.showDetails')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text size="sm">{t('common.loading')}</Text>
      ) : audience ? (
        <>
          <Text size="sm" fw={500} data-testid="audience-summary">
            {sentence(audience.summary)}
          </Text>
          <Text size="xs" c="dimmed">
            {extras.join(' · ')}
          </Text>
          {audience.encryptionRequired ? (
            <Text size="xs" c="dimmed">
              {t('distribution.audience.encryptionRequired', { tlp: tlpLabel(audience.tlp) })}
            </Text>
          ) : null}
          {unsavedChanges ? (
            <Text size="xs" c="dimmed">
              {t('distribution.audience.savedDraftOnly')}
            </Text>
          ) : null}
          <Collapse in={opened} id="audience-details">
            <Box mt="xs">{opened ? <AudienceTable audience={audience} /> : null}</Box>
          </Collapse>
        </>
      ) : null}
    </Box>
  );
}
