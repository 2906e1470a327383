import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, NativeSelect, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { organisationSearchQuery } from '../../organisations/api';
import { SEVERITY_LIST, type CaseSeverity } from '../api';
import { useCreateCase } from '../mutations';
import { LocalTimeInput, localToIso, nowLocal } from './local-time-input';

const INTAKES = ['phone', 'analyst'] as const;

/**
 * The CERT opens a case itself: a phone call it logs while on the line, or something it found.
 * On success the analyst lands on the new case.
 */
export function NewCaseModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCase();
  const participants = useQuery({ ...organisationSearchQuery('', 200, 'participant'), enabled: opened });
  const [intake, setIntake] = useState<(typeof INTAKES)[number]>('phone');
  const [organisationId, setOrganisationId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [reporterName, setReporterName] = useState('');
  const [reporterPhone, setReporterPhone] = useState('');
  const [reporterEmail, setReporterEmail] = useState('');
  const [severity, setSeverity] = useState<CaseSeverity | ''>('');
  const [awareAt, setAwareAt] = useState(nowLocal);
  const [nis2Applies, setNis2Applies] = useState(false);
  const [personalData, setPersonalData] = useState(false);
  const [problem, setProblem] = useState<'organisation' | 'title' | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!organisationId) return setProblem('organisation');
    if (!title.trim()) return setProblem('title');
    setProblem(null);
    create.mutate(
      {
        intake,
        organisationIds: [organisationId],
        title: title.trim(),
        description: description.trim(),
        ...(severity ? { severity } : {}),
        ...(reporterName.trim() ? { reporterName: reporterName.trim() } : {}),
        ...(reporterPhone.trim() ? { reporterPhone: reporterPhone.trim() } : {}),
        ...(reporterEmail.trim() ? { reporterEmail: reporterEmail.trim() } : {}),
        awareAt: localToIso(awareAt),
        nis2Applies,
        personalData,
      },
      {
        onSuccess: (created) => {
          onClose();
          void navigate({ to: '/incidents/$id', params: { id: created.id } });
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('incidents.newCase.title')} size="lg">
      <form onSubmit={submit} noValidate data-testid="new-case-form">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NativeSelect
              label={t('incidents.newCase.intake')}
              name="intake"
              value={intake}
              onChange={(event) => setIntake(optionalEnum(event.currentTarget.value, INTAKES) ?? 'phone')}
              data={INTAKES.map((value) => ({ value, label: t(`incidents.intake.${value}`) }))}
            />
            <NativeSelect
              label={t('incidents.newCase.organisation')}
              name="organisationId"
              required
              value={organisationId}
              onChange={(event) => setOrganisationId(event.currentTarget.value)}
              data={[{ value: '', label: '—' }, ...(participants.data?.items ?? []).map((org) => ({ value: org.id, label: org.name }))]}
              error={problem === 'organisation' ? t('incidents.newCase.organisationMissing') : undefined}
            />
          </SimpleGrid>
          <TextInput
            label={t('incidents.fields.title')}
            name="title"
            required
            maxLength={200}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
            error={problem === 'title' ? t('incidents.newCase.titleMissing') : undefined}
          />
          <Textarea
            label={t('incidents.fields.description')}
            name="description"
            autosize
            minRows={3}
            maxRows={10}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput
              label={t('incidents.newCase.reporterName')}
              name="reporterName"
              maxLength={200}
              value={reporterName}
              onChange={(event) => setReporterName(event.currentTarget.value)}
            />
            <TextInput
              label={t('incidents.report.contactPhone')}
              name="reporterPhone"
              type="tel"
              maxLength={40}
              value={reporterPhone}
              onChange={(event) => setReporterPhone(event.currentTarget.value)}
            />
            <TextInput
              label={t('incidents.report.contactEmail')}
              name="reporterEmail"
              type="email"
              maxLength={320}
              value={reporterEmail}
              onChange={(event) => setReporterEmail(event.currentTarget.value)}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NativeSelect
              label={t('incidents.fields.severity')}
              name="severity"
              value={severity}
              onChange={(event) => setSeverity(optionalEnum(event.currentTarget.value, SEVERITY_LIST) ?? '')}
              data={[
                { value: '', label: t('incidents.newCase.severityLater') },
                ...SEVERITY_LIST.map((value) => ({ value, label: t(`incidents.severity.${value}`) })),
              ]}
            />
            <LocalTimeInput label={t('incidents.fields.awareAt')} name="awareAt" value={awareAt} onChange={setAwareAt} />
          </SimpleGrid>
          <Group gap="lg">
            <Checkbox
              label={t('incidents.fields.nis2')}
              name="nis2Applies"
              checked={nis2Applies}
              onChange={(event) => setNis2Applies(event.currentTarget.checked)}
            />
            <Checkbox
              label={t('incidents.fields.personalData')}
              name="personalData"
              checked={personalData}
              onChange={(event) => setPersonalData(event.currentTarget.checked)}
            />
          </Group>
          <ErrorAlert error={create.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('incidents.newCase.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
