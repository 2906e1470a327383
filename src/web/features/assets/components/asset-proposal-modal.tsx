import { useState, type FormEvent } from 'react';
import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { ASSET_TYPES, assetKeys, assetsApi, type AssetProposal, type AssetType } from '../api';

interface AssetProposalModalProps {
  organisationId: string;
  onClose: () => void;
}

const emptyProduct = { vendor: '', product: '', version: '', cpe: '', purl: '', model: '' };

export function AssetProposalModal({ organisationId, onClose }: AssetProposalModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [type, setType] = useState<AssetType>('domain');
  const [value, setValue] = useState('');
  const [includeSubdomains, setIncludeSubdomains] = useState(false);
  const [product, setProduct] = useState(emptyProduct);
  const [medicalDevice, setMedicalDevice] = useState(false);

  const mutation = useMutation({
    mutationFn: (proposal: AssetProposal) => assetsApi.propose(organisationId, proposal),
    onSuccess: async (asset) => {
      await queryClient.invalidateQueries({ queryKey: assetKeys.all });
      // Assets added by the CERT itself are approved at once; participants' wait for a decision.
      const message = asset.status === 'approved' ? t('asset.added') : t('asset.proposed');
      notifications.show({ color: 'green', message });
      onClose();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const proposal: AssetProposal = { type };
    if (value.trim()) proposal.value = value.trim();
    if (type === 'domain') proposal.includeSubdomains = includeSubdomains;
    if (type === 'product') {
      const orNull = (text: string) => text.trim() || null;
      proposal.product = {
        vendor: product.vendor.trim(),
        product: product.product.trim(),
        version: orNull(product.version),
        cpe: orNull(product.cpe),
        purl: orNull(product.purl),
        model: orNull(product.model),
        medicalDevice,
      };
    }
    mutation.mutate(proposal);
  };

  const productField = (key: keyof typeof emptyProduct, required = false) => (
    <TextInput
      label={t(`asset.fields.${key}`)}
      name={key}
      required={required}
      value={product[key]}
      onChange={(event) => {
        const text = event.currentTarget.value;
        setProduct((current) => ({ ...current, [key]: text }));
      }}
    />
  );

  return (
    <Modal opened onClose={onClose} title={t('asset.propose')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <NativeSelect
            label={t('asset.fields.type')}
            name="type"
            value={type}
            onChange={(event) => setType(optionalEnum(event.currentTarget.value, ASSET_TYPES) ?? 'domain')}
            data={ASSET_TYPES.map((option) => ({ value: option, label: t(`asset.type.${option}`) }))}
            data-autofocus
          />
          <TextInput
            label={t('asset.fields.value')}
            name="value"
            required={type !== 'product'}
            description={type === 'product' ? t('asset.valueHelpProduct') : undefined}
            placeholder={t(`asset.valuePlaceholder.${type}`)}
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          {type === 'domain' ? (
            <Checkbox
              label={t('asset.fields.includeSubdomains')}
              name="includeSubdomains"
              checked={includeSubdomains}
              onChange={(event) => setIncludeSubdomains(event.currentTarget.checked)}
            />
          ) : null}
          {type === 'product' ? (
            <Fieldset legend={t('asset.productSection')} variant="filled">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {productField('vendor', true)}
                {productField('product', true)}
                {productField('version')}
                {productField('model')}
                {productField('cpe')}
                {productField('purl')}
              </SimpleGrid>
              <Checkbox
                mt="sm"
                label={t('asset.fields.medicalDevice')}
                name="medicalDevice"
                checked={medicalDevice}
                onChange={(event) => setMedicalDevice(event.currentTarget.checked)}
              />
            </Fieldset>
          ) : null}
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('asset.propose')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
