import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconLink, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { caseLookupQuery, type IncidentCase } from '../api';
import { useLinkCase, useMergeIntoCase, useUnlinkCase } from '../mutations';

/** Finds another case by reference or title, to link it or merge it (a duplicate) into this one. */
function FindCase({ incident }: { incident: IncidentCase }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const found = useQuery(caseLookupQuery(debounced));
  const link = useLinkCase(incident.id);
  const merge = useMergeIntoCase(incident.id);
  const related = new Set(incident.related.map((r) => r.id));
  const results = (found.data?.items ?? []).filter((c) => c.id !== incident.id);
  return (
    <Stack gap="xs">
      <TextInput
        label={t('incidents.related.find')}
        placeholder={t('incidents.searchPlaceholder')}
        name="relatedSearch"
        leftSection={<IconSearch size={14} aria-hidden />}
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
        maxLength={200}
      />
      {debounced.length >= 2 && found.isSuccess && results.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('incidents.related.noResults')}
        </Text>
      ) : null}
      <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('incidents.related.results')}>
        {results.map((c) => (
          <Group key={c.id} component="li" gap="xs" wrap="wrap" data-testid="related-candidate" data-reference={c.reference}>
            <Text span ff="monospace" size="sm">
              {c.reference}
            </Text>
            <Text span size="sm">
              {c.title}
            </Text>
            {related.has(c.id) ? (
              <Badge size="xs" variant="light" component="span">
                {t('incidents.related.linked')}
              </Badge>
            ) : (
              <Button
                size="compact-xs"
                variant="light"
                leftSection={<IconLink size={12} aria-hidden />}
                loading={link.isPending && link.variables === c.id}
                onClick={() => link.mutate(c.id)}
              >
                {t('incidents.related.link')}
              </Button>
            )}
            <ConfirmButton
              size="compact-xs"
              variant="subtle"
              color="orange"
              message={t('incidents.related.mergeConfirm', { other: c.reference, into: incident.reference })}
              confirmLabel={t('incidents.related.mergeSubmit')}
              loading={merge.isPending && merge.variables === c.id}
              onConfirm={() => merge.mutate(c.id, { onSuccess: () => setQ('') })}
            >
              {t('incidents.related.merge')}
            </ConfirmButton>
          </Group>
        ))}
      </Stack>
      <ErrorAlert error={found.error ?? link.error ?? merge.error} />
    </Stack>
  );
}

/**
 * Related cases (the CERT's): links both ways, and what was merged. A duplicate merged into this
 * case closes, becomes read-only and points here.
 */
export function RelatedCasesPanel({ incident, readOnly }: { incident: IncidentCase; readOnly: boolean }) {
  const { t } = useTranslation();
  const unlink = useUnlinkCase(incident.id);
  return (
    <Paper withBorder p="sm" mt="md" component="section" aria-labelledby="related-title" data-testid="related-cases">
      <Stack gap="xs">
        <Title order={3} size="h6" id="related-title">
          {t('incidents.related.title')}
        </Title>
        {incident.related.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('incidents.related.empty')}
          </Text>
        ) : (
          <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {incident.related.map((r) => (
              <Group key={`${r.relation}-${r.id}`} component="li" gap="xs" wrap="wrap" data-testid="related-case" data-relation={r.relation}>
                <RouterAnchor to="/incidents/$id" params={{ id: r.id }} size="sm" ff="monospace">
                  {r.reference}
                </RouterAnchor>
                <Text span size="sm">
                  {r.title}
                </Text>
                <Badge size="xs" variant="default" component="span">
                  {t(`incidents.related.relation.${r.relation}`)}
                </Badge>
                {r.relation === 'link' && !readOnly ? (
                  <ConfirmButton
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    message={t('incidents.related.unlinkConfirm', { reference: r.reference })}
                    onConfirm={() => unlink.mutate(r.id)}
                  >
                    {t('incidents.related.unlink')}
                  </ConfirmButton>
                ) : null}
              </Group>
            ))}
          </Stack>
        )}
        <ErrorAlert error={unlink.error} />
        {readOnly ? null : <FindCase incident={incident} />}
      </Stack>
    </Paper>
  );
}
