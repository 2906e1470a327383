import { Group, MultiSelect, Select, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, TLP_WITH_RECIPIENTS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { RecipientsSelect } from '../../advisories/editor/recipients-select';
import { AUDIENCES, CONTACT_ROLES, KINDS, LANGUAGES, SEGMENTS, type PublicationAudienceKind, type PublicationKind, type PublicationLanguage } from '../api';

/** The details of a publication as the form holds them (the server checks them again). */
export interface Metadata {
  kind: PublicationKind;
  title: string;
  summary: string;
  tags: string[];
  language: PublicationLanguage;
  tlp: Tlp;
  recipients: string[];
  audience: PublicationAudienceKind;
  segments: string[];
  contactRoles: string[];
  reviewBy: string;
}

export const EMPTY_METADATA: Metadata = {
  kind: 'factsheet',
  title: '',
  summary: '',
  tags: [],
  language: 'nl',
  tlp: 'GREEN',
  recipients: [],
  audience: 'community',
  segments: [],
  contactRoles: [],
  reviewBy: '',
};

/** The request's audience object from the form. */
export const audienceOf = (m: Metadata) => ({
  kind: m.audience,
  segments: m.audience === 'segments' ? (m.segments as (typeof SEGMENTS)[number][]) : [],
  contactRoles: m.audience === 'contact_roles' ? (m.contactRoles as (typeof CONTACT_ROLES)[number][]) : [],
});

export function metadataErrors(m: Metadata, t: (key: 'publications.form.required') => string): Partial<Record<keyof Metadata, string>> {
  const errors: Partial<Record<keyof Metadata, string>> = {};
  if (!m.title.trim()) errors.title = t('publications.form.required');
  if (TLP_WITH_RECIPIENTS.includes(m.tlp) && m.recipients.length === 0) errors.recipients = t('publications.form.required');
  if (m.audience === 'segments' && m.segments.length === 0) errors.segments = t('publications.form.required');
  if (m.audience === 'contact_roles' && m.contactRoles.length === 0) errors.contactRoles = t('publications.form.required');
  return errors;
}

interface MetadataFieldsProps {
  value: Metadata;
  onChange: (next: Metadata) => void;
  errors: Partial<Record<keyof Metadata, string>>;
}

export function MetadataFields({ value: m, onChange, errors }: MetadataFieldsProps) {
  const { t } = useTranslation();
  const set = (patch: Partial<Metadata>) => onChange({ ...m, ...patch });
  return (
    <Stack gap="sm">
      <Group grow align="flex-start">
        <Select
          label={t('publications.filters.kind')}
          data={KINDS.map((k) => ({ value: k, label: t(`publications.kind.${k}`) }))}
          value={m.kind}
          onChange={(k) => set({ kind: KINDS.find((x) => x === k) ?? m.kind })}
          allowDeselect={false}
        />
        <Select
          label={t('publications.filters.language')}
          data={LANGUAGES.map((l) => ({ value: l, label: t(`publications.language.${l}`) }))}
          value={m.language}
          onChange={(l) => set({ language: LANGUAGES.find((x) => x === l) ?? m.language })}
          allowDeselect={false}
        />
        <Select
          label={t('publications.form.tlp')}
          data={TLP_LEVELS.map((l) => ({ value: l, label: tlpLabel(l) }))}
          value={m.tlp}
          onChange={(l) => set({ tlp: TLP_LEVELS.find((x) => x === l) ?? m.tlp })}
          allowDeselect={false}
        />
      </Group>
      <TextInput
        label={t('publications.form.title')}
        name="title"
        required
        value={m.title}
        onChange={(e) => set({ title: e.currentTarget.value })}
        error={errors.title}
        maxLength={300}
      />
      <Textarea
        label={t('publications.form.summary')}
        name="summary"
        autosize
        minRows={2}
        value={m.summary}
        onChange={(e) => set({ summary: e.currentTarget.value })}
        maxLength={5000}
      />
      <TagsInput
        label={t('publications.form.tags')}
        placeholder={t('publications.form.tagsPlaceholder')}
        value={m.tags}
        onChange={(tags) => set({ tags: tags.map((x) => x.trim().toLowerCase()).filter(Boolean) })}
        maxTags={20}
      />
      {TLP_WITH_RECIPIENTS.includes(m.tlp) ? (
        <RecipientsSelect value={m.recipients} onChange={(recipients) => set({ recipients })} required error={errors.recipients} />
      ) : null}
      <Group grow align="flex-start">
        <Select
          label={t('publications.audience.label')}
          data={AUDIENCES.map((a) => ({ value: a, label: t(`publications.audience.${a}`) }))}
          value={m.audience}
          onChange={(a) => set({ audience: AUDIENCES.find((x) => x === a) ?? m.audience })}
          allowDeselect={false}
        />
        <TextInput label={t('publications.reviewBy')} type="date" value={m.reviewBy} onChange={(e) => set({ reviewBy: e.currentTarget.value })} />
      </Group>
      {m.audience === 'segments' ? (
        <MultiSelect
          label={t('publications.audience.segmentsLabel')}
          data={SEGMENTS.map((s) => ({ value: s, label: t(`publications.segment.${s}`) }))}
          value={m.segments}
          onChange={(segments) => set({ segments })}
          error={errors.segments}
        />
      ) : null}
      {m.audience === 'contact_roles' ? (
        <MultiSelect
          label={t('publications.audience.rolesLabel')}
          data={CONTACT_ROLES.map((r) => ({ value: r, label: t(`publications.role.${r}`) }))}
          value={m.contactRoles}
          onChange={(contactRoles) => set({ contactRoles })}
          error={errors.contactRoles}
        />
      ) : null}
    </Stack>
  );
}
