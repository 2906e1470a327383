import { useState, type FormEvent } from 'react';
import { Badge, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconFileDownload, IconPencil, IconSpeakerphone } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { tlpLabel } from '#lib/tlp.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { optionalEnum } from '../../../lib/search-params';
import { api } from '../../../lib/api-client';
import { saveFile } from '../../../lib/save-file';
import { casePath, type CvdCase } from '../api';
import { useDraftAdvisory, usePatchCase } from '../mutations';

/**
 * CVE, CWE and CVSS of the case, saved together; an empty field clears its value. The change is
 * the panel's (it outlives this form, which is filled again when the case changes).
 */
function IdentifiersForm({ cvd, patch }: { cvd: CvdCase; patch: ReturnType<typeof usePatchCase> }) {
  const { t } = useTranslation();
  const [cveId, setCveId] = useState(cvd.cveId ?? '');
  const [cweId, setCweId] = useState(cvd.cweId ?? '');
  const [cvssVector, setCvssVector] = useState(cvd.cvssVector ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    patch.mutate(
      { cveId: cveId.trim() || null, cweId: cweId.trim() || null, cvssVector: cvssVector.trim() || null },
      { onSuccess: () => notifications.show({ color: 'green', message: t('common.saved') }) },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('cvd.disclosure.identifiers')} data-testid="cvd-identifiers">
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t('cvd.fields.cveId')} name="cveId" placeholder="CVE-2026-12345" maxLength={30} value={cveId} onChange={(event) => setCveId(event.currentTarget.value)} />
          <TextInput label={t('cvd.fields.cweId')} name="cweId" placeholder="CWE-79" maxLength={12} value={cweId} onChange={(event) => setCweId(event.currentTarget.value)} />
        </SimpleGrid>
        <TextInput
          label={t('cvd.fields.cvssVector')}
          description={t('cvd.disclosure.cvssHelp')}
          name="cvssVector"
          placeholder="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
          maxLength={300}
          value={cvssVector}
          onChange={(event) => setCvssVector(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <ErrorAlert error={patch.error} />
        <Group>
          <Button type="submit" size="xs" variant="light" leftSection={<IconDeviceFloppy size={14} aria-hidden />} loading={patch.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The markings an advisory drafted from a case may carry. */
const ADVISORY_TLPS = ['CLEAR', 'GREEN', 'AMBER'] as const;

/** The advisory the case is disclosed with: drafted from the case and finished in the advisory editor. */
function Advisory({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const draft = useDraftAdvisory(cvd.id);
  const [tlp, setTlp] = useState<(typeof ADVISORY_TLPS)[number]>('CLEAR');
  if (cvd.advisory) {
    const advisory = cvd.advisory;
    return (
      <Group gap="xs" wrap="wrap" data-testid="cvd-advisory">
        <Text size="sm" fw={500}>
          {t('cvd.disclosure.advisory')}:
        </Text>
        <RouterAnchor to="/advisories/$id" params={{ id: advisory.id }} size="sm" ff="monospace">
          {advisory.identifier ?? t('cvd.disclosure.draft')}
        </RouterAnchor>
        <Badge size="sm" variant="default" component="span">
          {advisory.status}
        </Badge>
        <RouterAnchor to="/advisories/$id/edit" params={{ id: advisory.id }} size="sm">
          <Group gap={4} component="span" wrap="nowrap">
            <IconPencil size={14} aria-hidden />
            {t('cvd.disclosure.openEditor')}
          </Group>
        </RouterAnchor>
      </Group>
    );
  }
  return (
    <Stack gap="xs">
      <Group gap="sm" align="flex-end">
        <NativeSelect
          label={t('cvd.disclosure.tlp')}
          name="advisoryTlp"
          value={tlp}
          onChange={(event) => setTlp(optionalEnum(event.currentTarget.value, ADVISORY_TLPS) ?? 'CLEAR')}
          data={ADVISORY_TLPS.map((value) => ({ value, label: tlpLabel(value) }))}
        />
        <Button
          leftSection={<IconSpeakerphone size={16} aria-hidden />}
          loading={draft.isPending}
          onClick={() => draft.mutate(tlp, { onSuccess: ({ productId }) => void navigate({ to: '/advisories/$id/edit', params: { id: productId } }) })}
          data-testid="cvd-draft-advisory"
        >
          {t('cvd.disclosure.draftAdvisory')}
        </Button>
      </Group>
      <ErrorAlert error={draft.error} />
    </Stack>
  );
}

/** Saves JSON as a file, laid out as the CNA's tools expect it. */
function saveJson(fileName: string, value: unknown): void {
  saveFile(fileName, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

/**
 * The CVE JSON 5 record to submit. Fetched first rather than followed as a link: the server refuses
 * a record it cannot make yet (no CVE id, advisory not published) and says why, which is shown here.
 */
function CveRecord({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const fetchRecord = useMutation({ mutationFn: () => api.get<unknown>(`${casePath(cvd.id)}/cve-record`) });
  return (
    <Stack gap="xs">
      <Group>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconFileDownload size={16} aria-hidden />}
          loading={fetchRecord.isPending}
          onClick={() => fetchRecord.mutate(undefined, { onSuccess: (record) => saveJson(`${cvd.cveId ?? cvd.reference}.json`, record) })}
          data-testid="cvd-cve-record"
        >
          {t('cvd.disclosure.cveRecord')}
        </Button>
      </Group>
      <ErrorAlert error={fetchRecord.error} />
    </Stack>
  );
}

/** Getting the case out: its identifiers, the advisory, and the CVE record (CVE JSON 5) to submit. */
export function DisclosurePanel({ cvd }: { cvd: CvdCase }) {
  const { t } = useTranslation();
  const patch = usePatchCase(cvd.id);
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-disclosure-title" data-testid="cvd-disclosure">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-disclosure-title">
          {t('cvd.disclosure.title')}
        </Title>
        {/* A refetched case (someone else saved) refills the form. */}
        <IdentifiersForm key={`${cvd.cveId ?? ''}|${cvd.cweId ?? ''}|${cvd.cvssVector ?? ''}`} cvd={cvd} patch={patch} />
        <Advisory cvd={cvd} />
        <CveRecord cvd={cvd} />
      </Stack>
    </Paper>
  );
}
