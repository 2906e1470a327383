import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PasskeyErrorAlert } from '../../../components/passkey-error-alert';
import { assertPasskeysSupported, createPasskeyCredential } from '../../../lib/webauthn';
import { profileApi, type Passkey } from '../api';

interface AddPasskeyModalProps {
  opened: boolean;
  onClose: () => void;
  onAdded: (passkey: Passkey) => void;
}

async function addPasskey(name: string): Promise<Passkey> {
  assertPasskeysSupported();
  const { challengeId, options } = await profileApi.passkeyOptions();
  const credential = await createPasskeyCredential(options);
  return profileApi.addPasskey(challengeId, name, credential);
}

/** Asks for a name, then runs the browser's passkey ceremony and stores the new passkey. */
export function AddPasskeyModal({ opened, onClose, onAdded }: AddPasskeyModalProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');

  const mutation = useMutation({
    mutationFn: addPasskey,
    onSuccess: (passkey) => {
      setName('');
      onAdded(passkey);
    },
  });

  const close = () => {
    mutation.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed) mutation.mutate(trimmed);
  };

  return (
    <Modal opened={opened} onClose={close} title={t('passkeys.addTitle')} size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('passkeys.addHelp')}</Text>
          <TextInput
            label={t('passkeys.name')}
            description={t('passkeys.nameDescription')}
            placeholder={t('passkeys.namePlaceholder')}
            name="passkeyName"
            required
            maxLength={100}
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <PasskeyErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={name.trim() === ''}>
              {t('passkeys.continue')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
