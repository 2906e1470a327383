import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Code, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { CopyField } from '../../../components/copy-field';
import { ErrorAlert } from '../../../components/error-alert';
import { isApiError } from '../../../lib/api-client';
import { optionalEnum } from '../../../lib/search-params';
import { PRODUCT_KINDS, type ProductKind } from '../../advisories/api';
import { distributionApi, distributionKeys, WEBHOOK_FORMATS, type Webhook, type WebhookFormat } from '../api';

interface WebhookFormModalProps {
  organisationId: string;
  /** The webhook being changed; absent when adding one. */
  webhook?: Webhook;
  onClose: () => void;
}

// The two refusals that concern one field are shown on that field; anything else above the buttons.
const FIELD_ERRORS: Record<string, 'url' | 'maxTlp'> = {
  webhook_url_forbidden: 'url',
  webhook_tlp_too_high: 'maxTlp',
};

function fieldOf(error: unknown): 'url' | 'maxTlp' | null {
  return isApiError(error) ? (FIELD_ERRORS[error.code] ?? null) : null;
}

function SecretShown({ secret, format, onClose }: { secret: string; format: WebhookFormat; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={t('webhooks.secretTitle')} size="lg" closeOnClickOutside={false}>
      <Stack gap="sm">
        <Alert color="yellow" variant="light" role="note">
          {t('webhooks.secretOnce')}
        </Alert>
        <CopyField label={t('webhooks.secret')} value={secret} testId="webhook-secret" />
        {format === 'json' ? (
          <Text size="sm">
            {t('webhooks.signatureHelp')} <Code>X-Wachtpost-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</Code>
            {t('webhooks.signatureHow')} <Code>HMAC-SHA256(secret, &quot;&lt;t&gt;.&lt;body&gt;&quot;)</Code>.
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button onClick={onClose}>{t('webhooks.done')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Adds or changes a webhook; a new one's signing secret is shown once, right after creation. */
export function WebhookFormModal({ organisationId, webhook, onClose }: WebhookFormModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(webhook?.name ?? '');
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [format, setFormat] = useState<WebhookFormat>(webhook?.format ?? 'json');
  const [maxTlp, setMaxTlp] = useState<Tlp>(webhook?.maxTlp ?? 'GREEN');
  const [kinds, setKinds] = useState<string[]>(webhook?.kinds ?? [...PRODUCT_KINDS]);
  const [created, setCreated] = useState<{ secret: string; format: WebhookFormat } | null>(null);

  const mutation = useMutation({
    mutationFn: async () => {
      const input = { name: name.trim(), url: url.trim(), format, maxTlp, kinds: PRODUCT_KINDS.filter((kind): kind is ProductKind => kinds.includes(kind)) };
      if (webhook) return { ...(await distributionApi.updateWebhook(webhook.id, input)), secret: null };
      return distributionApi.createWebhook({ organisationId, ...input });
    },
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: distributionKeys.webhooksAll });
      notifications.show({ color: 'green', message: t('webhooks.saved') });
      if (result.secret) setCreated({ secret: result.secret, format: result.format });
      else onClose();
    },
  });

  if (created) return <SecretShown secret={created.secret} format={created.format} onClose={onClose} />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  const field = fieldOf(mutation.error);
  const fieldError = (name: 'url' | 'maxTlp') => (field === name && isApiError(mutation.error) ? mutation.error.message : undefined);

  return (
    <Modal opened onClose={onClose} title={webhook ? t('webhooks.edit') : t('webhooks.add')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={t('webhooks.fields.name')} name="name" required value={name} onChange={(event) => setName(event.currentTarget.value)} data-autofocus />
          <TextInput
            label={t('webhooks.fields.url')}
            description={t('webhooks.urlHelp')}
            name="url"
            type="url"
            required
            value={url}
            onChange={(event) => setUrl(event.currentTarget.value)}
            error={fieldError('url')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NativeSelect
              label={t('webhooks.fields.format')}
              name="format"
              value={format}
              onChange={(event) => setFormat(optionalEnum(event.currentTarget.value, WEBHOOK_FORMATS) ?? 'json')}
              data={WEBHOOK_FORMATS.map((value) => ({ value, label: t(`webhooks.format.${value}`) }))}
            />
            <NativeSelect
              label={t('webhooks.fields.maxTlp')}
              description={t('webhooks.maxTlpHelp')}
              name="maxTlp"
              value={maxTlp}
              onChange={(event) => setMaxTlp(optionalEnum(event.currentTarget.value, TLP_LEVELS) ?? 'GREEN')}
              data={TLP_LEVELS.map((value) => ({ value, label: tlpLabel(value) }))}
              error={fieldError('maxTlp')}
            />
          </SimpleGrid>
          <Checkbox.Group label={t('webhooks.fields.kinds')} value={kinds} onChange={setKinds}>
            <Group gap="md" mt={4}>
              {PRODUCT_KINDS.map((value) => (
                <Checkbox key={value} value={value} name="kinds" label={t(`advisories.kind.${value}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          {field ? null : <ErrorAlert error={mutation.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={name.trim() === '' || url.trim() === '' || kinds.length === 0}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
