import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CopyField } from '../../../components/copy-field';
import { ErrorAlert } from '../../../components/error-alert';
import { amsterdamLocalToIso } from '../../../lib/format';
import { TOKEN_SCOPES, tokenKeys, tokensApi, type NewToken } from '../api';

// The server caps a token's lifetime (366 days); the date picker offers only what it accepts.
const MAX_LIFETIME_DAYS = 365;

function isoDay(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

export function CreateTokenModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiresOn, setExpiresOn] = useState('');
  const [secret, setSecret] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: tokensApi.create,
    onSuccess: async (result) => {
      setSecret(result.token);
      await queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: NewToken = { name: name.trim(), scopes };
    // A date-only expiry means "valid through that day" in Dutch time.
    const expiresAt = expiresOn ? amsterdamLocalToIso(`${expiresOn}T23:59`) : null;
    if (expiresAt) input.expiresAt = expiresAt;
    mutation.mutate(input);
  };

  if (secret) {
    return (
      <Modal opened onClose={onClose} title={t('tokens.newTokenLabel')} size="lg" closeOnClickOutside={false}>
        <Stack gap="sm">
          <Alert color="yellow" variant="light" role="note">
            {t('tokens.newTokenHelp')}
          </Alert>
          <CopyField label={t('tokens.newTokenLabel')} value={secret} testId="new-token" />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('tokens.done')}</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <Modal opened onClose={onClose} title={t('tokens.create')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('tokens.fields.name')}
            name="name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <Checkbox.Group
            label={t('tokens.fields.scopes')}
            description={t('tokens.scopesHelp')}
            value={scopes}
            onChange={setScopes}
          >
            <SimpleGrid cols={2} spacing={6} mt={6}>
              {TOKEN_SCOPES.map((scope) => (
                <Checkbox key={scope} value={scope} name="scopes" label={<code>{scope}</code>} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <TextInput
            type="date"
            label={t('tokens.fields.expiresAt')}
            description={t('common.optional')}
            name="expiresAt"
            min={isoDay(1)}
            max={isoDay(MAX_LIFETIME_DAYS)}
            value={expiresOn}
            onChange={(event) => setExpiresOn(event.currentTarget.value)}
          />
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={name.trim() === '' || scopes.length === 0}
            >
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
