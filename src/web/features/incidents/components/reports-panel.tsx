import { useState, type ReactNode } from 'react';
import { Anchor, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { IconChartBar, IconFileSpreadsheet, IconFileTypePdf, IconSpeakerphone } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { currentLanguage } from '../../../i18n';
import { downloads } from '../api';
import { useDraftInfoMessage } from '../mutations';

const INFO_TLPS = ['GREEN', 'AMBER'] as const;

function Download({ href, icon, label }: { href: string; icon: ReactNode; label: string }) {
  return (
    <Anchor href={href} download size="sm">
      <Group gap={6} component="span" wrap="nowrap">
        {icon}
        {label}
      </Group>
    </Anchor>
  );
}

/**
 * The case's exports (timeline as CSV, the report as PDF, TLP-marked) and, for the CERT, a sector
 * info message drafted from the case without what identifies the organisation.
 */
export function ReportsPanel({ caseId, isCert }: { caseId: string; isCert: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const draft = useDraftInfoMessage(caseId);
  const [tlp, setTlp] = useState<(typeof INFO_TLPS)[number]>('GREEN');
  const lang = currentLanguage();
  return (
    <Stack gap="sm" data-testid="reports-panel">
      <Paper withBorder p="sm" component="section" aria-labelledby="exports-title">
        <Stack gap="xs">
          <Title order={3} size="h6" id="exports-title">
            {t('incidents.reports.exports')}
          </Title>
          <Text size="xs" c="dimmed">
            {isCert ? t('incidents.reports.exportsHelpCert') : t('incidents.reports.exportsHelpRoom')}
          </Text>
          <Group gap="lg">
            <Download href={downloads.timelineCsv(caseId)} icon={<IconFileSpreadsheet size={16} aria-hidden />} label={t('incidents.reports.timelineCsv')} />
            <Download href={downloads.reportPdf(caseId, lang)} icon={<IconFileTypePdf size={16} aria-hidden />} label={t('incidents.reports.reportPdf')} />
          </Group>
        </Stack>
      </Paper>
      {isCert ? (
        <Paper withBorder p="sm" component="section" aria-labelledby="info-message-title">
          <Stack gap="xs">
            <Title order={3} size="h6" id="info-message-title">
              {t('incidents.reports.infoMessage')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('incidents.reports.infoMessageHelp')}
            </Text>
            <Group gap="sm" align="flex-end">
              <NativeSelect
                label={t('incidents.fields.tlp')}
                name="infoTlp"
                value={tlp}
                onChange={(event) => setTlp(event.currentTarget.value === 'AMBER' ? 'AMBER' : 'GREEN')}
                data={INFO_TLPS.map((value) => ({ value, label: `TLP:${value}` }))}
              />
              <Button
                leftSection={<IconSpeakerphone size={16} aria-hidden />}
                loading={draft.isPending}
                onClick={() => draft.mutate(tlp, { onSuccess: ({ productId }) => void navigate({ to: '/advisories/$id/edit', params: { id: productId } }) })}
                data-testid="draft-info-message"
              >
                {t('incidents.reports.draftInfoMessage')}
              </Button>
            </Group>
            <ErrorAlert error={draft.error} />
          </Stack>
        </Paper>
      ) : null}
      {isCert ? (
        <Group gap={6}>
          <IconChartBar size={16} aria-hidden />
          <RouterAnchor to="/incidents/dashboard" size="sm">
            {t('incidents.reports.dashboardLink')}
          </RouterAnchor>
        </Group>
      ) : null}
    </Stack>
  );
}
