import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, Group, Paper, Radio, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconListDetails, IconSend } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { optionalEnum } from '../../../lib/search-params';
import { useCurrentUser } from '../../auth/use-current-user';
import { IMPACT_LIST, PERSONAL_DATA_LIST, type PatientCareImpact } from '../api';
import { LocalTimeInput, localToIso, nowLocal } from '../components/local-time-input';
import { useReportIncident } from '../mutations';

type Field = 'title' | 'whatHappened' | 'discoveredAt' | 'patientCareImpact' | 'contactName' | 'contactPhone';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h5" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/**
 * The participant's guided report: what happened, when, which systems, the impact on patient care,
 * personal data, and who the CERT should call. On success the case opens (in triage).
 */
export function ReportPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const report = useReportIncident();
  const [title, setTitle] = useState('');
  const [whatHappened, setWhatHappened] = useState('');
  const [startedAt, setStartedAt] = useState('');
  const [discoveredAt, setDiscoveredAt] = useState(nowLocal);
  const [systems, setSystems] = useState('');
  const [impact, setImpact] = useState<PatientCareImpact | ''>('');
  const [impactDetails, setImpactDetails] = useState('');
  const [personalData, setPersonalData] = useState<(typeof PERSONAL_DATA_LIST)[number]>('unknown');
  const [contactName, setContactName] = useState(user.name);
  const [contactPhone, setContactPhone] = useState('');
  const [contactEmail, setContactEmail] = useState(user.email);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!title.trim()) found.title = t('incidents.report.required');
    if (whatHappened.trim().length < 10) found.whatHappened = t('incidents.report.whatHappenedShort');
    if (!localToIso(discoveredAt)) found.discoveredAt = t('incidents.report.required');
    if (!impact) found.patientCareImpact = t('incidents.report.impactMissing');
    if (!contactName.trim()) found.contactName = t('incidents.report.required');
    if (contactPhone.trim().length < 6) found.contactPhone = t('incidents.report.phoneMissing');
    setProblems(found);
    if (Object.keys(found).length > 0 || !impact) return;
    report.mutate(
      {
        title: title.trim(),
        whatHappened: whatHappened.trim(),
        startedAt: localToIso(startedAt),
        discoveredAt: localToIso(discoveredAt) ?? '',
        systems: systems.trim(),
        patientCareImpact: impact,
        patientCareDetails: impactDetails.trim(),
        personalData,
        contactName: contactName.trim(),
        contactPhone: contactPhone.trim(),
        contactEmail: contactEmail.trim() || undefined,
      },
      { onSuccess: (created) => void navigate({ to: '/incidents/$id', params: { id: created.id } }) },
    );
  };

  return (
    <>
      <PageHeader
        title={t('incidents.report.title')}
        description={t('incidents.report.intro')}
        actions={
          <RouterButton to="/incidents" variant="default" leftSection={<IconListDetails size={16} aria-hidden />}>
            {t('incidents.case.back')}
          </RouterButton>
        }
      />
      <form onSubmit={submit} noValidate data-testid="report-form">
        <Stack gap="md" maw={820}>
          <Section id="report-what" title={t('incidents.report.sectionWhat')}>
            <TextInput
              label={t('incidents.report.titleLabel')}
              description={t('incidents.report.titleHelp')}
              name="title"
              required
              maxLength={200}
              value={title}
              onChange={(event) => setTitle(event.currentTarget.value)}
              error={problems.title}
            />
            <Textarea
              label={t('incidents.report.whatHappened')}
              description={t('incidents.report.whatHappenedHelp')}
              name="whatHappened"
              required
              autosize
              minRows={4}
              maxRows={14}
              maxLength={20000}
              value={whatHappened}
              onChange={(event) => setWhatHappened(event.currentTarget.value)}
              error={problems.whatHappened}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <LocalTimeInput label={t('incidents.report.startedAt')} name="startedAt" value={startedAt} onChange={setStartedAt} />
              <LocalTimeInput
                label={t('incidents.report.discoveredAt')}
                name="discoveredAt"
                required
                value={discoveredAt}
                onChange={setDiscoveredAt}
                error={problems.discoveredAt}
              />
            </SimpleGrid>
            <Textarea
              label={t('incidents.report.systems')}
              description={t('incidents.report.systemsHelp')}
              name="systems"
              autosize
              minRows={2}
              maxRows={8}
              maxLength={5000}
              value={systems}
              onChange={(event) => setSystems(event.currentTarget.value)}
            />
          </Section>
          <Section id="report-impact" title={t('incidents.report.sectionImpact')}>
            <Radio.Group
              label={t('incidents.report.impact')}
              name="patientCareImpact"
              required
              value={impact}
              onChange={(value) => setImpact(optionalEnum(value, IMPACT_LIST) ?? '')}
              error={problems.patientCareImpact}
            >
              <Group gap="lg" mt={4}>
                {IMPACT_LIST.map((value) => (
                  <Radio key={value} value={value} label={t(`incidents.impact.${value}`)} />
                ))}
              </Group>
            </Radio.Group>
            <Textarea
              label={t('incidents.report.impactDetails')}
              name="patientCareDetails"
              autosize
              minRows={2}
              maxRows={8}
              maxLength={5000}
              value={impactDetails}
              onChange={(event) => setImpactDetails(event.currentTarget.value)}
            />
            <Radio.Group
              label={t('incidents.report.personalData')}
              description={t('incidents.report.personalDataHelp')}
              name="personalData"
              value={personalData}
              onChange={(value) => setPersonalData(optionalEnum(value, PERSONAL_DATA_LIST) ?? 'unknown')}
            >
              <Group gap="lg" mt={4}>
                {PERSONAL_DATA_LIST.map((value) => (
                  <Radio key={value} value={value} label={t(`incidents.personalDataAnswer.${value}`)} />
                ))}
              </Group>
            </Radio.Group>
          </Section>
          <Section id="report-contact" title={t('incidents.report.sectionContact')}>
            <Text size="sm" c="dimmed">
              {t('incidents.report.contactHelp')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput
                label={t('incidents.report.contactName')}
                name="contactName"
                required
                maxLength={200}
                value={contactName}
                onChange={(event) => setContactName(event.currentTarget.value)}
                error={problems.contactName}
              />
              <TextInput
                label={t('incidents.report.contactPhone')}
                name="contactPhone"
                type="tel"
                required
                maxLength={40}
                value={contactPhone}
                onChange={(event) => setContactPhone(event.currentTarget.value)}
                error={problems.contactPhone}
              />
              <TextInput
                label={t('incidents.report.contactEmail')}
                name="contactEmail"
                type="email"
                maxLength={320}
                value={contactEmail}
                onChange={(event) => setContactEmail(event.currentTarget.value)}
              />
            </SimpleGrid>
          </Section>
          <ErrorAlert error={report.error} />
          <Group>
            <Button type="submit" color="red" leftSection={<IconSend size={16} aria-hidden />} loading={report.isPending} data-testid="submit-report">
              {t('incidents.report.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
