import { useEffect, useState, type FormEvent } from 'react';
import { Button, Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { amsterdamLocalToIso, isoToAmsterdamLocal } from '../../../lib/format';
import type { AuditFilters } from '../search';

interface AuditFiltersFormProps {
  value: AuditFilters;
  onChange: (next: AuditFilters) => void;
}

type Draft = Record<keyof AuditFilters, string>;

function toDraft(filters: AuditFilters): Draft {
  return {
    action: filters.action ?? '',
    actor: filters.actor ?? '',
    targetId: filters.targetId ?? '',
    from: filters.from ? isoToAmsterdamLocal(filters.from) : '',
    to: filters.to ? isoToAmsterdamLocal(filters.to) : '',
  };
}

function fromDraft(draft: Draft): AuditFilters {
  const text = (value: string) => value.trim() || undefined;
  return {
    action: text(draft.action),
    actor: text(draft.actor),
    targetId: text(draft.targetId),
    from: draft.from ? (amsterdamLocalToIso(draft.from) ?? undefined) : undefined,
    to: draft.to ? (amsterdamLocalToIso(draft.to) ?? undefined) : undefined,
  };
}

/** Filters are applied on submit (not per keystroke): audit queries can be expensive. */
export function AuditFiltersForm({ value, onChange }: AuditFiltersFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => toDraft(value));

  // Keyed on content, not object identity: re-sync only when the URL filters really change.
  const { action, actor, targetId, from, to } = value;
  useEffect(() => {
    setDraft(toDraft({ action, actor, targetId, from, to }));
  }, [action, actor, targetId, from, to]);

  const field = (key: keyof Draft, label: string, type: 'text' | 'datetime-local' = 'text') => (
    <TextInput
      label={label}
      name={key}
      type={type}
      size="xs"
      value={draft[key]}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setDraft((current) => ({ ...current, [key]: next }));
      }}
    />
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(fromDraft(draft));
  };

  return (
    <form onSubmit={submit} role="search" aria-label={t('audit.apply')}>
      <Group gap="sm" align="flex-end" mb="sm" wrap="wrap">
        {field('action', t('audit.fields.action'))}
        {field('actor', t('audit.fields.actor'))}
        {field('targetId', t('audit.fields.targetId'))}
        {field('from', t('audit.fields.from'), 'datetime-local')}
        {field('to', t('audit.fields.to'), 'datetime-local')}
        <Button type="submit" size="xs">
          {t('audit.apply')}
        </Button>
        <Button size="xs" variant="default" onClick={() => onChange({})}>
          {t('audit.reset')}
        </Button>
      </Group>
    </form>
  );
}
