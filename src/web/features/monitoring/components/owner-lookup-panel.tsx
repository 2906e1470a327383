import { useMemo, useState, type FormEvent } from 'react';
import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { ownerQuery, type Owner } from '../api';

const col = columnHelper<Owner>();

/**
 * "Who owns this?": the participants whose declared addresses, ranges, AS numbers or domain names
 * cover an address, AS number or name, with the asset that matches.
 */
export function OwnerLookupPanel() {
  const { t } = useTranslation();
  const [input, setInput] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const query = useQuery(ownerQuery(value));

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('organisationName', {
          header: () => t('monitoring.fields.organisation'),
          cell: (info) => (
            <RouterAnchor to="/monitoring" search={{ organisationId: info.row.original.organisationId, open: true }} size="sm" data-testid="owner-organisation">
              {info.getValue()}
            </RouterAnchor>
          ),
        }),
        col.accessor('asset', {
          header: () => t('monitoring.owner.asset'),
          cell: (info) => (
            <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }} data-testid="owner-asset">
              {info.getValue()}
            </Text>
          ),
        }),
      ]),
    [t],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = input.trim();
    if (!trimmed) return setProblem(t('monitoring.owner.valueMissing'));
    setProblem(null);
    setValue(trimmed);
  };

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="owner-lookup-title" data-testid="owner-lookup">
      <Stack gap="sm">
        <Title order={2} size="h5" id="owner-lookup-title">
          {t('monitoring.owner.title')}
        </Title>
        <form onSubmit={submit} noValidate role="search" aria-labelledby="owner-lookup-title">
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TextInput
              label={t('monitoring.owner.value')}
              description={t('monitoring.owner.valueHelp')}
              placeholder="198.51.100.5, AS64500, mail.example"
              value={input}
              onChange={(event) => {
                setInput(event.currentTarget.value);
                setProblem(null);
              }}
              error={problem ?? undefined}
              maxLength={253}
              w={340}
            />
            <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />} loading={query.isFetching} data-testid="owner-submit">
              {t('monitoring.owner.submit')}
            </Button>
          </Group>
        </form>
        <ErrorAlert error={query.error} />
        {value && query.isSuccess ? (
          query.data.length === 0 ? (
            <Text size="sm" role="status" data-testid="owner-none">
              {t('monitoring.owner.none', { value })}
            </Text>
          ) : (
            <DataTable
              data={query.data ?? NO_ROWS}
              columns={columns}
              caption={t('monitoring.owner.caption', { value })}
              getRowId={(row) => `${row.organisationId}:${row.assetId}`}
              testId="owner-results"
            />
          )
        ) : null}
      </Stack>
    </Paper>
  );
}
