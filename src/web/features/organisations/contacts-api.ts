import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { organisationKeys } from './api';

export const CONTACT_KINDS = ['person', 'function'] as const;
export const CONTACT_ROLES = [
  'ciso',
  'it_operations',
  'medical_technology',
  'privacy_officer',
  'on_call',
] as const;
export const CONTACT_LANGUAGES = ['nl', 'en'] as const;
export const SUBSCRIPTIONS = [
  'advisories',
  'info_messages',
  'operational_alerts',
  'end_of_week',
  'end_of_month',
  'monitoring',
  'zdn',
] as const;

export type ContactKind = (typeof CONTACT_KINDS)[number];
export type ContactRole = (typeof CONTACT_ROLES)[number];
export type ContactLanguage = (typeof CONTACT_LANGUAGES)[number];
export type Subscription = (typeof SUBSCRIPTIONS)[number];

export interface PgpKeyInfo {
  fingerprint: string;
  userIds: string[];
  expiresAt: string | null;
  expired: boolean;
}

export interface Contact {
  id: string;
  organisationId: string;
  name: string;
  email: string;
  kind: ContactKind;
  roles: ContactRole[];
  languages: ContactLanguage[];
  phone: string | null;
  subscriptions: Subscription[];
  pgp: PgpKeyInfo | null;
  userId: string | null;
  /** Only products that match the organisation's declared products are mailed to this contact. */
  onlyRelevant: boolean;
  /** Set when the mail server refused the address for good; cleared when the address changes. */
  emailFailing: { since: string; reason: string } | null;
}

export interface ContactInput {
  name: string;
  email: string;
  kind: ContactKind;
  roles: ContactRole[];
  languages: ContactLanguage[];
  phone: string | null;
  subscriptions: Subscription[];
  onlyRelevant: boolean;
  /** Armored public key; omitted keeps the current key, null removes it. */
  pgpPublicKey?: string | null;
}

export function contactsQuery(organisationId: string) {
  return queryOptions({
    queryKey: organisationKeys.contacts(organisationId),
    queryFn: ({ signal }) =>
      api.get<{ items: Contact[] }>(
        `/api/v1/organisations/${encodeURIComponent(organisationId)}/contacts`,
        undefined,
        signal,
      ),
  });
}

export const contactsApi = {
  create: (organisationId: string, input: ContactInput) =>
    api.post<Contact>(`/api/v1/organisations/${encodeURIComponent(organisationId)}/contacts`, input),
  update: (id: string, input: Partial<ContactInput>) =>
    api.patch<Contact>(`/api/v1/contacts/${encodeURIComponent(id)}`, input),
  remove: (id: string) => api.delete<unknown>(`/api/v1/contacts/${encodeURIComponent(id)}`),
};
