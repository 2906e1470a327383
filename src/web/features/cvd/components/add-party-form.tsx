import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, NativeSelect, Radio, Stack, TextInput, Title } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { ADDABLE_KINDS, ORGANISATION_KINDS_FOR, type AddableKind, type CvdCase } from '../api';
import { useAddParty } from '../mutations';
import { OrganisationPicker } from './organisation-picker';
import type { ShownLink } from './parties-panel';

const LANGUAGES = ['nl', 'en'] as const;
const MODES = ['account', 'mail'] as const;
type Mode = (typeof MODES)[number];

/**
 * Brings a party in: an organisation with an account (it reads the case in the portal), or one
 * reached by mail with a private link, shown here once.
 */
export function AddPartyForm({ cvd, onLink }: { cvd: CvdCase; onLink: (shown: ShownLink) => void }) {
  const { t } = useTranslation();
  const add = useAddParty(cvd.id);
  const [kind, setKind] = useState<AddableKind>('participant');
  const [mode, setMode] = useState<Mode>('account');
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [language, setLanguage] = useState<(typeof LANGUAGES)[number]>('nl');
  const [notify, setNotify] = useState(true);
  const [problem, setProblem] = useState<'organisation' | 'name' | 'email' | null>(null);
  const taking = new Set(cvd.parties.map((p) => p.organisationId).filter((id): id is string => id !== null));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'account' && !organisationId) return setProblem('organisation');
    if (mode === 'mail' && !name.trim()) return setProblem('name');
    if (mode === 'mail' && !/^[^\s@]+@[^\s@]+$/.test(email.trim())) return setProblem('email');
    setProblem(null);
    const input = mode === 'account' && organisationId ? { kind, organisationId, language, notify } : { kind, name: name.trim(), email: email.trim(), language, notify };
    add.mutate(input, {
      onSuccess: ({ privateLink }) => {
        if (privateLink) onLink({ name: name.trim(), link: privateLink });
        setOrganisationId(null);
        setName('');
        setEmail('');
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="cvd-add-party-title" data-testid="cvd-add-party">
      <Stack gap="xs">
        <Title order={3} size="h6" id="cvd-add-party-title">
          {t('cvd.addParty.title')}
        </Title>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('cvd.parties.kind')}
            name="kind"
            value={kind}
            onChange={(event) => {
              setKind(optionalEnum(event.currentTarget.value, ADDABLE_KINDS) ?? 'participant');
              setOrganisationId(null);
            }}
            data={ADDABLE_KINDS.map((value) => ({ value, label: t(`cvd.partyKind.${value}`) }))}
          />
          <Radio.Group label={t('cvd.addParty.reach')} name="mode" value={mode} onChange={(value) => setMode(optionalEnum(value, MODES) ?? 'account')}>
            <Group gap="md" mt={6} mb={6}>
              <Radio value="account" label={t('cvd.addParty.withAccount')} />
              <Radio value="mail" label={t('cvd.addParty.byMail')} />
            </Group>
          </Radio.Group>
        </Group>
        <Group gap="sm" align="flex-start" wrap="wrap">
          {mode === 'account' ? (
            <OrganisationPicker
              label={t('cvd.addParty.organisation')}
              value={organisationId}
              onChange={setOrganisationId}
              kinds={ORGANISATION_KINDS_FOR[kind]}
              exclude={taking}
              error={problem === 'organisation' ? t('cvd.addParty.organisationMissing') : undefined}
            />
          ) : (
            <>
              <TextInput
                label={t('cvd.parties.name')}
                name="name"
                required
                maxLength={200}
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
                error={problem === 'name' ? t('cvd.addParty.nameMissing') : undefined}
              />
              <TextInput
                label={t('cvd.addParty.email')}
                name="email"
                type="email"
                required
                maxLength={320}
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
                error={problem === 'email' ? t('cvd.addParty.emailMissing') : undefined}
              />
            </>
          )}
          <NativeSelect
            label={t('cvd.addParty.language')}
            name="language"
            value={language}
            onChange={(event) => setLanguage(optionalEnum(event.currentTarget.value, LANGUAGES) ?? 'nl')}
            data={LANGUAGES.map((value) => ({ value, label: t(`cvd.language.${value}`) }))}
          />
        </Group>
        <Checkbox label={t('cvd.addParty.notify')} name="notify" checked={notify} onChange={(event) => setNotify(event.currentTarget.checked)} />
        <ErrorAlert error={add.error} />
        <Group>
          <Button type="submit" leftSection={<IconUserPlus size={16} aria-hidden />} loading={add.isPending} data-testid="cvd-add-party-submit">
            {t('cvd.addParty.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
