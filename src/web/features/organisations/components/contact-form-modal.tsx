import { useState, type FormEvent } from 'react';
import {
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { organisationKeys } from '../api';
import {
  CONTACT_KINDS,
  CONTACT_LANGUAGES,
  CONTACT_ROLES,
  contactsApi,
  SUBSCRIPTIONS,
  type Contact,
  type ContactInput,
  type ContactKind,
} from '../contacts-api';

interface ContactFormModalProps {
  organisationId: string;
  /** The contact being edited; absent when adding a new one. */
  contact?: Contact;
  onClose: () => void;
}

function pick<T extends string>(values: string[], allowed: readonly T[]): T[] {
  return allowed.filter((candidate) => values.includes(candidate));
}

export function ContactFormModal({ organisationId, contact, onClose }: ContactFormModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(contact?.name ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [kind, setKind] = useState<ContactKind>(contact?.kind ?? 'person');
  const [roles, setRoles] = useState<string[]>(contact?.roles ?? []);
  const [languages, setLanguages] = useState<string[]>(contact?.languages ?? ['nl']);
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [subscriptions, setSubscriptions] = useState<string[]>(contact?.subscriptions ?? ['advisories']);
  const [onlyRelevant, setOnlyRelevant] = useState(contact?.onlyRelevant ?? false);
  const [pgpPublicKey, setPgpPublicKey] = useState('');
  const [removeKey, setRemoveKey] = useState(false);

  const mutation = useMutation({
    mutationFn: (input: ContactInput) =>
      contact ? contactsApi.update(contact.id, input) : contactsApi.create(organisationId, input),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: organisationKeys.contacts(organisationId) });
      notifications.show({ color: 'green', message: t('contact.saved') });
      onClose();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: ContactInput = {
      name: name.trim(),
      email: email.trim(),
      kind,
      roles: pick(roles, CONTACT_ROLES),
      languages: pick(languages, CONTACT_LANGUAGES),
      phone: phone.trim() || null,
      subscriptions: pick(subscriptions, SUBSCRIPTIONS),
      onlyRelevant,
    };
    // An empty key field means "no key" for a new contact and "keep the key" when editing.
    if (pgpPublicKey.trim()) input.pgpPublicKey = pgpPublicKey.trim();
    else if (removeKey) input.pgpPublicKey = null;
    mutation.mutate(input);
  };

  return (
    <Modal opened onClose={onClose} title={contact ? t('contact.edit') : t('contact.add')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('contact.fields.name')}
              name="name"
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              data-autofocus
            />
            <TextInput
              label={t('contact.fields.email')}
              name="email"
              type="email"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <NativeSelect
              label={t('contact.fields.kind')}
              name="kind"
              value={kind}
              onChange={(event) =>
                setKind(optionalEnum(event.currentTarget.value, CONTACT_KINDS) ?? 'person')
              }
              data={CONTACT_KINDS.map((value) => ({ value, label: t(`contact.kind.${value}`) }))}
            />
            <TextInput
              label={t('contact.fields.phone')}
              name="phone"
              type="tel"
              value={phone}
              onChange={(event) => setPhone(event.currentTarget.value)}
            />
          </SimpleGrid>
          <Checkbox.Group label={t('contact.fields.roles')} value={roles} onChange={setRoles}>
            <Group gap="md" mt={4}>
              {CONTACT_ROLES.map((value) => (
                <Checkbox key={value} value={value} name="roles" label={t(`contact.role.${value}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group label={t('contact.fields.languages')} value={languages} onChange={setLanguages}>
            <Group gap="md" mt={4}>
              {CONTACT_LANGUAGES.map((value) => (
                <Checkbox key={value} value={value} name="languages" label={t(`contact.language.${value}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group
            label={t('contact.fields.subscriptions')}
            value={subscriptions}
            onChange={setSubscriptions}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} mt={4}>
              {SUBSCRIPTIONS.map((value) => (
                <Checkbox
                  key={value}
                  value={value}
                  name="subscriptions"
                  label={t(`contact.subscription.${value}`)}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Checkbox
            label={t('contact.fields.onlyRelevant')}
            description={t('contact.onlyRelevantHelp')}
            name="onlyRelevant"
            checked={onlyRelevant}
            onChange={(event) => setOnlyRelevant(event.currentTarget.checked)}
          />
          <Textarea
            label={t('contact.fields.pgpPublicKey')}
            description={
              contact?.pgp ? `${t('contact.pgpHelp')} ${t('contact.pgpKeep')}` : t('contact.pgpHelp')
            }
            name="pgpPublicKey"
            autosize
            minRows={3}
            maxRows={10}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----"
            value={pgpPublicKey}
            onChange={(event) => setPgpPublicKey(event.currentTarget.value)}
          />
          {contact?.pgp ? (
            <Checkbox
              label={t('contact.pgpRemove')}
              name="removePgpKey"
              checked={removeKey}
              disabled={pgpPublicKey.trim() !== ''}
              onChange={(event) => setRemoveKey(event.currentTarget.checked)}
            />
          ) : null}
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
