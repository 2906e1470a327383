import { Checkbox, Group, NativeSelect, Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { rsitClassLabel, rsitTypeLabel } from '#lib/rsit-labels.ts';
import { TLP_LEVELS, tlpLabel } from '#lib/tlp.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { PAP_LIST, PRIORITY_LIST, SEVERITY_LIST, STATUS_LIST, taxonomyQuery, type IncidentCase } from '../api';
import { usePatchCase } from '../mutations';
import { AssigneesControl } from './assignees-control';
import { CaseSeverityBadge, CaseStatusBadge } from './incident-badges';

/**
 * The CERT's controls of a case, each saved as it is changed: status, severity, priority, TLP and
 * PAP, the RSIT category, whether NIS2 applies and personal data is involved, and who handles it.
 */
export function CaseControls({ incident }: { incident: IncidentCase }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('en') ? 'en' : 'nl';
  const patch = usePatchCase(incident.id);
  const taxonomy = useQuery(taxonomyQuery);
  const classes = Object.keys(taxonomy.data ?? {});
  const types = taxonomy.data?.[incident.categoryClass] ?? [incident.categoryType];
  const disabled = patch.isPending || incident.mergedIntoId !== null;

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-label={t('incidents.case.controls')} data-testid="case-controls">
      <Stack gap="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('incidents.fields.status')}
            name="status"
            value={incident.status}
            disabled={disabled}
            onChange={(event) => {
              const status = optionalEnum(event.currentTarget.value, STATUS_LIST);
              if (status) patch.mutate({ status });
            }}
            data={STATUS_LIST.map((value) => ({ value, label: t(`incidents.status.${value}`) }))}
          />
          <NativeSelect
            label={t('incidents.fields.severity')}
            name="severity"
            value={incident.severity}
            disabled={disabled}
            onChange={(event) => {
              const severity = optionalEnum(event.currentTarget.value, SEVERITY_LIST);
              if (severity) patch.mutate({ severity });
            }}
            data={SEVERITY_LIST.map((value) => ({ value, label: t(`incidents.severity.${value}`) }))}
          />
          <NativeSelect
            label={t('incidents.fields.priority')}
            name="priority"
            value={incident.priority}
            disabled={disabled}
            onChange={(event) => {
              const priority = optionalEnum(event.currentTarget.value, PRIORITY_LIST);
              if (priority) patch.mutate({ priority });
            }}
            data={PRIORITY_LIST.map((value) => ({ value, label: t(`incidents.priority.${value}`) }))}
          />
          <NativeSelect
            label={t('incidents.fields.tlp')}
            name="tlp"
            value={incident.tlp}
            disabled={disabled}
            onChange={(event) => {
              const tlp = optionalEnum(event.currentTarget.value, TLP_LEVELS);
              if (tlp) patch.mutate({ tlp });
            }}
            data={TLP_LEVELS.map((value) => ({ value, label: tlpLabel(value) }))}
          />
          <NativeSelect
            label={t('incidents.fields.pap')}
            name="pap"
            value={incident.pap}
            disabled={disabled}
            onChange={(event) => {
              const pap = optionalEnum(event.currentTarget.value, PAP_LIST);
              if (pap) patch.mutate({ pap });
            }}
            data={PAP_LIST.map((value) => ({ value, label: `PAP:${value}` }))}
          />
        </Group>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('incidents.fields.categoryClass')}
            name="categoryClass"
            value={incident.categoryClass}
            disabled={disabled || classes.length === 0}
            onChange={(event) => {
              const categoryClass = event.currentTarget.value;
              const first = taxonomy.data?.[categoryClass]?.[0];
              if (first) patch.mutate({ categoryClass, categoryType: first });
            }}
            data={(classes.length ? classes : [incident.categoryClass]).map((value) => ({ value, label: rsitClassLabel(value, lang) }))}
            w={240}
          />
          <NativeSelect
            label={t('incidents.fields.categoryType')}
            name="categoryType"
            value={incident.categoryType}
            disabled={disabled || classes.length === 0}
            onChange={(event) => patch.mutate({ categoryClass: incident.categoryClass, categoryType: event.currentTarget.value })}
            data={types.map((value) => ({ value, label: rsitTypeLabel(value, lang) }))}
            w={260}
          />
          <Checkbox
            label={t('incidents.fields.nis2')}
            name="nis2Applies"
            checked={incident.nis2Applies}
            disabled={disabled}
            onChange={(event) => patch.mutate({ nis2Applies: event.currentTarget.checked })}
            mb={8}
          />
          <Checkbox
            label={t('incidents.fields.personalData')}
            name="personalData"
            checked={incident.personalData}
            disabled={disabled}
            onChange={(event) => patch.mutate({ personalData: event.currentTarget.checked })}
            mb={8}
          />
        </Group>
        <AssigneesControl incident={incident} disabled={incident.mergedIntoId !== null} />
        <ErrorAlert error={patch.error} />
      </Stack>
    </Paper>
  );
}

/** What the room sees of the case's standing: status, severity and marking, no controls. */
export function CaseFacts({ incident }: { incident: IncidentCase }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" mb="md" data-testid="case-facts">
      <Text size="sm" fw={500}>
        {t('incidents.fields.status')}:
      </Text>
      <CaseStatusBadge status={incident.status} />
      <Text size="sm" fw={500}>
        {t('incidents.fields.severity')}:
      </Text>
      <CaseSeverityBadge severity={incident.severity} />
      <TlpBadge tlp={incident.tlp} />
    </Group>
  );
}
