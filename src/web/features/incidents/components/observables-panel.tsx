import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Checkbox, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconShare } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { RouterAnchor } from '../../../components/router-links';
import { optionalEnum } from '../../../lib/search-params';
import { INDICATOR_TYPES, type IndicatorType } from '../../zdn/api';
import { observablesQuery, type Observable } from '../api';
import { useAddObservable, useShareObservables } from '../mutations';

// TLP:RED cannot go to the detection network.
const SHARE_TLPS = TLP_LEVELS.filter((tlp): tlp is Exclude<Tlp, 'RED'> => tlp !== 'RED');

function AddObservable({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const add = useAddObservable(caseId);
  const [type, setType] = useState<IndicatorType>('ipv4');
  const [value, setValue] = useState('');
  const [comment, setComment] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return;
    add.mutate(
      { type, value: value.trim(), comment: comment.trim() },
      {
        onSuccess: () => {
          setValue('');
          setComment('');
        },
      },
    );
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-labelledby="add-observable-title" data-testid="add-observable">
      <Stack gap="xs">
        <Title order={3} size="h6" id="add-observable-title">
          {t('incidents.observables.add')}
        </Title>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('incidents.observables.type')}
            name="type"
            value={type}
            onChange={(event) => setType(optionalEnum(event.currentTarget.value, INDICATOR_TYPES) ?? type)}
            data={INDICATOR_TYPES.map((v) => ({ value: v, label: t(`zdn.types.${v}`) }))}
          />
          <TextInput
            label={t('incidents.observables.value')}
            name="value"
            required
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            w={300}
            ff="monospace"
          />
          <TextInput
            label={t('incidents.observables.comment')}
            name="comment"
            maxLength={2000}
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
            w={260}
          />
          <Button type="submit" leftSection={<IconPlus size={14} aria-hidden />} loading={add.isPending}>
            {t('incidents.observables.addSubmit')}
          </Button>
        </Group>
        <ErrorAlert error={add.error} />
      </Stack>
    </Paper>
  );
}

function SeenElsewhere({ observable }: { observable: Observable }) {
  const { t } = useTranslation();
  const seen = observable.seenByOthers;
  return (
    <Stack gap={2}>
      <Text size="sm" data-testid="seen-by-others" data-count={seen.organisations}>
        {seen.organisations > 0 ? t('incidents.observables.seenAt', { count: seen.organisations }) : t('incidents.observables.notSeen')}
      </Text>
      {observable.otherCases.length > 0 ? (
        <Text size="xs" data-testid="other-cases">
          {t('incidents.observables.alsoIn')}{' '}
          {observable.otherCases.map((other, index) => (
            <span key={other.id}>
              {index > 0 ? ', ' : ''}
              <RouterAnchor to="/incidents/$id" params={{ id: other.id }} size="xs">
                {other.reference}
              </RouterAnchor>{' '}
              ({other.organisations.join(', ')})
            </span>
          ))}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * The analyst's observables: where else in the network each was seen and which other cases hold it;
 * selected ones go to the detection network as one event, by default without naming the organisation.
 */
export function ObservablesPanel({ caseId, readOnly }: { caseId: string; readOnly: boolean }) {
  const { t } = useTranslation();
  const observables = useQuery(observablesQuery(caseId));
  const share = useShareObservables(caseId);
  const [selected, setSelected] = useState<string[]>([]);
  const [tlp, setTlp] = useState<Exclude<Tlp, 'RED'>>('AMBER');
  const [anonymous, setAnonymous] = useState(true);
  const list = observables.data ?? [];
  const toggle = (id: string, on: boolean) => setSelected((prev) => (on ? [...prev, id] : prev.filter((x) => x !== id)));

  return (
    <Stack gap="sm" data-testid="observables-panel">
      {observables.isPending ? <LoadingIndicator /> : <ErrorAlert error={observables.error} />}
      <Table verticalSpacing={6} striped data-testid="observables-table">
        <caption className="visually-hidden">{t('incidents.case.tabs.observables')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">
              <span className="visually-hidden">{t('incidents.observables.select')}</span>
            </Table.Th>
            <Table.Th scope="col">{t('incidents.observables.type')}</Table.Th>
            <Table.Th scope="col">{t('incidents.observables.value')}</Table.Th>
            <Table.Th scope="col">{t('incidents.observables.comment')}</Table.Th>
            <Table.Th scope="col">{t('incidents.observables.elsewhere')}</Table.Th>
            <Table.Th scope="col">{t('incidents.observables.network')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.map((o) => (
            <Table.Tr key={o.id} data-testid="observable" data-value={o.value}>
              <Table.Td>
                <Checkbox
                  aria-label={t('incidents.observables.selectOne', { value: o.value })}
                  checked={selected.includes(o.id)}
                  disabled={readOnly}
                  onChange={(event) => toggle(o.id, event.currentTarget.checked)}
                />
              </Table.Td>
              <Table.Td>{t(`zdn.types.${optionalEnum(o.type, INDICATOR_TYPES) ?? 'ipv4'}`)}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="observable-value">
                  {o.value}
                </Text>
              </Table.Td>
              <Table.Td>{o.comment || '—'}</Table.Td>
              <Table.Td>
                <SeenElsewhere observable={o} />
              </Table.Td>
              <Table.Td>
                {o.indicatorId ? (
                  <RouterAnchor to="/zdn/indicators/$id" params={{ id: o.indicatorId }} size="sm" data-testid="observable-shared">
                    {t('incidents.observables.sharedLink')}
                  </RouterAnchor>
                ) : (
                  <Badge variant="default" size="sm" component="span">
                    {t('incidents.observables.notShared')}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          {observables.isSuccess && list.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text size="sm" c="dimmed">
                  {t('incidents.observables.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
      {readOnly ? null : (
        <Paper withBorder p="sm" component="section" aria-labelledby="share-observables-title" data-testid="share-observables">
          <Stack gap="xs">
            <Title order={3} size="h6" id="share-observables-title">
              {t('incidents.observables.shareTitle')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('incidents.observables.shareHelp')}
            </Text>
            <Group gap="sm" align="flex-end" wrap="wrap">
              <NativeSelect
                label={t('incidents.fields.tlp')}
                name="shareTlp"
                value={tlp}
                onChange={(event) => setTlp(optionalEnum(event.currentTarget.value, SHARE_TLPS) ?? tlp)}
                data={SHARE_TLPS.map((value) => ({ value, label: tlpLabel(value) }))}
              />
              <Checkbox
                label={t('incidents.observables.anonymous')}
                name="anonymous"
                checked={anonymous}
                onChange={(event) => setAnonymous(event.currentTarget.checked)}
                mb={8}
              />
              <Button
                leftSection={<IconShare size={16} aria-hidden />}
                disabled={selected.length === 0}
                loading={share.isPending}
                onClick={() => share.mutate({ observableIds: selected, tlp, anonymous }, { onSuccess: () => setSelected([]) })}
                data-testid="share-submit"
              >
                {t('incidents.observables.share', { count: selected.length })}
              </Button>
            </Group>
            <ErrorAlert error={share.error} />
            {share.data ? (
              <Alert color="green" variant="light" role="status" data-testid="share-result">
                {t('incidents.observables.shared', { count: share.data.shared })}{' '}
                <RouterAnchor to="/zdn/events/$id" params={{ id: share.data.eventId }} size="sm">
                  {t('incidents.observables.openEvent')}
                </RouterAnchor>
              </Alert>
            ) : null}
          </Stack>
        </Paper>
      )}
      {readOnly ? null : <AddObservable caseId={caseId} />}
    </Stack>
  );
}
