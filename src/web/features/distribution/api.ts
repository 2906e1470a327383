import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import type { Tlp } from '#lib/tlp.ts';
import type { OutboxStatus, WebhookFormat } from '#db/schema.ts';
import type { ProductKind } from '#modules/advisories/advisory.content.ts';
import { advisoryKeys } from '../advisories/api';

export type { OutboxStatus, WebhookFormat };

/** What the next publication of a product would reach, resolved as publication will resolve it. */
export interface AudienceSummary {
  contacts: number;
  organisations: number;
  encrypted: number;
  held: number;
  failingAddresses: number;
  webhooks: number;
  users: number;
}

export interface AudienceOrganisation {
  organisationId: string;
  organisationName: string;
  contacts: number;
  encrypted: number;
  held: number;
}

export interface AudienceContact {
  contactId: string;
  organisationId: string;
  organisationName: string;
  name: string;
  email: string;
  languages: string[];
  encrypted: boolean;
  /** Why the mail would be held back (e.g. no key for encrypted-only mail), or null when it goes out. */
  held: string | null;
  failing: boolean;
}

export interface Audience {
  tlp: Tlp;
  kind: ProductKind;
  encryptionRequired: boolean;
  summary: AudienceSummary;
  organisations: AudienceOrganisation[];
  contacts: AudienceContact[];
}

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'held'] as const satisfies readonly OutboxStatus[];
export type QueueCounts = Record<OutboxStatus, number>;

export interface Delivery {
  id: string;
  revision: number;
  tlp: Tlp;
  createdAt: string;
  createdByName: string | null;
  audience: { contacts: number; organisations: number; encrypted: number; held: number; webhooks: number };
  mail: QueueCounts;
  webhooks: QueueCounts;
  lastSentAt: string | null;
}

export interface DeliveryProblem {
  kind: string;
  status: OutboxStatus;
  recipient: string | null;
  organisationName: string | null;
  attempts: number;
  error: string | null;
  permanent: boolean;
  nextAttemptAt: string | null;
}

export interface DeliveryState {
  deliveries: Delivery[];
  /** Rows of the newest delivery that failed, were held back or wait for another attempt. */
  problems: DeliveryProblem[];
}

export const WEBHOOK_FORMATS = ['json', 'slack', 'teams'] as const satisfies readonly WebhookFormat[];

export interface Webhook {
  id: string;
  organisationId: string;
  name: string;
  url: string;
  format: WebhookFormat;
  maxTlp: Tlp;
  kinds: string[];
  enabled: boolean;
  lastStatus: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
}

export interface WebhookInput {
  organisationId: string;
  name: string;
  url: string;
  format: WebhookFormat;
  maxTlp: Tlp;
  kinds: ProductKind[];
}

export type WebhookPatch = Partial<Omit<WebhookInput, 'organisationId'>> & { enabled?: boolean };

// Audience and deliveries live under the advisories' keys: every save, approval or publication
// already invalidates those, and each of them can change who is reached.
export const distributionKeys = {
  audience: (id: string) => [...advisoryKeys.all, 'audience', id] as const,
  deliveries: (id: string) => [...advisoryKeys.all, 'deliveries', id] as const,
  webhooksAll: ['webhooks'] as const,
  webhooks: (organisationId: string) => ['webhooks', organisationId] as const,
};

const base = (id: string) => `/api/v1/advisories/${encodeURIComponent(id)}`;

export function audienceQuery(id: string) {
  return queryOptions({
    queryKey: distributionKeys.audience(id),
    queryFn: ({ signal }) => api.get<Audience>(`${base(id)}/audience`, undefined, signal),
  });
}

/** Whether a worker still has rows of this delivery to send (or to try again). */
export function isInFlight(delivery: Delivery): boolean {
  return delivery.mail.pending + delivery.mail.sending + delivery.webhooks.pending + delivery.webhooks.sending > 0;
}

// The queue has no push events (workers would flood the stream with one per message), so the
// panel polls, but only while something is still on its way.
const IN_FLIGHT_POLL_MS = 3_000;

export function deliveriesQuery(id: string) {
  return queryOptions({
    queryKey: distributionKeys.deliveries(id),
    queryFn: ({ signal }) => api.get<DeliveryState>(`${base(id)}/deliveries`, undefined, signal),
    refetchInterval: (query) => (query.state.data?.deliveries.some(isInFlight) ? IN_FLIGHT_POLL_MS : false),
  });
}

export function webhooksQuery(organisationId: string) {
  return queryOptions({
    queryKey: distributionKeys.webhooks(organisationId),
    queryFn: ({ signal }) => api.get<{ items: Webhook[] }>('/api/v1/webhooks', { organisationId }, signal),
  });
}

export const distributionApi = {
  retry: (id: string) => api.post<{ retried: number }>(`${base(id)}/deliveries/retry`),
  createWebhook: (input: WebhookInput) => api.post<Webhook & { secret: string }>('/api/v1/webhooks', input),
  updateWebhook: (id: string, patch: WebhookPatch) => api.patch<Webhook>(`/api/v1/webhooks/${encodeURIComponent(id)}`, patch),
  deleteWebhook: (id: string) => api.delete<unknown>(`/api/v1/webhooks/${encodeURIComponent(id)}`),
};
