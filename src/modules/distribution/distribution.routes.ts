import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import type { OutboxStatus } from '#db/schema.ts';
import { previewAudience } from './audience-preview.service.ts';
import { deliveryState, retryNow } from './delivery.service.ts';
import * as responses from './alert-response.service.ts';
import * as webhooks from './webhook.service.ts';
import { AudienceOut, DashboardOut, DeliveryStateOut, ProductRef, RespondInput, WebhookInput, WebhookOut, WebhookPatch } from './distribution.schema.ts';

const DIST = { access: { auth: 'user', permission: 'distribution:read' } } as const;
const tags = ['distribution'];

type WebhookRow = Awaited<ReturnType<typeof webhooks.listWebhooks>>[number];
function presentWebhook(w: WebhookRow): z.infer<typeof WebhookOut> {
  return {
    id: w.id,
    organisationId: w.organisation_id,
    name: w.name,
    url: w.url,
    format: w.format,
    maxTlp: w.max_tlp,
    kinds: w.kinds,
    enabled: w.enabled,
    lastStatus: w.last_status,
    lastAttemptAt: w.last_attempt_at ? w.last_attempt_at.toISOString() : null,
    createdAt: w.created_at.toISOString(),
  };
}

const emptyCounts = (): Record<OutboxStatus, number> => ({ pending: 0, sending: 0, sent: 0, failed: 0, held: 0 });

export function distributionRoutes(app: App): void {
  app.get('/api/v1/advisories/:id/audience', { config: DIST, schema: { tags, summary: 'Who the next publication would reach (contacts, organisations, encrypted, held)', params: ProductRef, response: { 200: AudienceOut } } }, async (req) =>
    previewAudience(req.ctx, req.params.id),
  );

  app.get('/api/v1/advisories/:id/deliveries', { config: DIST, schema: { tags, summary: 'Deliveries of a product and their queue state', params: ProductRef, response: { 200: DeliveryStateOut } } }, async (req) => {
    const state = await deliveryState(req.ctx, req.params.id);
    return {
      deliveries: state.deliveries.map((d) => {
        const mail = emptyCounts();
        const hooks = emptyCounts();
        let last: Date | null = null;
        for (const c of state.counts.filter((c) => c.delivery_id === d.id)) {
          (c.kind === 'webhook' ? hooks : mail)[c.status] += c.n;
          if (c.last_sent_at && (!last || c.last_sent_at > last)) last = c.last_sent_at;
        }
        return {
          id: d.id,
          revision: d.revision,
          tlp: d.tlp,
          createdAt: d.created_at.toISOString(),
          createdByName: d.created_by_name,
          audience: { contacts: d.contacts, organisations: d.organisations, encrypted: d.encrypted, held: d.held, webhooks: d.webhooks },
          mail,
          webhooks: hooks,
          lastSentAt: last ? new Date(last).toISOString() : null,
        };
      }),
      problems: state.problems.map((p) => ({
        kind: p.kind,
        status: p.status,
        recipient: p.recipient,
        organisationName: p.organisation_name,
        attempts: p.attempts,
        error: p.last_error,
        permanent: p.permanent_failure,
        nextAttemptAt: p.status === 'pending' ? p.next_attempt_at.toISOString() : null,
      })),
    };
  });

  app.post(
    '/api/v1/advisories/:id/deliveries/retry',
    { config: { access: { auth: 'user', permission: 'advisories:approve' } }, schema: { tags, summary: 'Retry now what waits for a retry (e.g. after the mail server came back)', params: ProductRef, response: { 200: z.object({ retried: z.number().int() }) } } },
    async (req) => ({ retried: await retryNow(req.ctx, req.params.id) }),
  );

  app.get('/api/v1/advisories/:id/responses', { config: DIST, schema: { tags, summary: 'Responses to an operational alert: the dashboard', params: ProductRef, response: { 200: DashboardOut } } }, async (req) => {
    const d = await responses.dashboard(req.ctx, req.params.id);
    return {
      ...d,
      publishedAt: d.publishedAt ? d.publishedAt.toISOString() : null,
      organisations: d.organisations.map((o) => ({
        ...o,
        respondedAt: o.respondedAt ? o.respondedAt.toISOString() : null,
        firstResponseAt: o.firstResponseAt ? o.firstResponseAt.toISOString() : null,
      })),
      history: d.history.map((h) => ({
        organisationName: h.organisation_name,
        status: h.status,
        comment: h.comment,
        via: h.via,
        respondedAt: h.responded_at.toISOString(),
        by: h.user_name ?? (h.contact_name ? `${h.contact_name} <${h.contact_email ?? ''}>` : null),
      })),
    };
  });

  app.get('/api/v1/advisories/:id/responses.csv', { config: DIST, schema: { tags, summary: 'Responses to an operational alert as CSV', params: ProductRef } }, async (req, reply) => {
    const { filename, csv } = await responses.responsesCsv(req.ctx, req.params.id);
    void reply.header('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
    return reply.type('text/csv; charset=utf-8').send(csv);
  });

  app.post(
    '/api/v1/advisories/:id/responses',
    { config: { access: { auth: 'user', permission: 'alerts:respond' } }, schema: { tags, summary: "Answer an operational alert for my organisation", params: ProductRef, body: RespondInput, response: { 201: z.object({ id: z.string(), status: z.string(), respondedAt: z.string() }) } } },
    async (req, reply) => {
      const r = await responses.respondInPortal(req.ctx, req.params.id, { status: req.body.status, comment: req.body.comment ?? null, organisationId: req.body.organisationId });
      return reply.status(201).send({ id: r.id, status: r.status, respondedAt: r.responded_at.toISOString() });
    },
  );

  app.get(
    '/api/v1/advisories/:id/responses/mine',
    { config: { access: { auth: 'user', permission: 'advisories:read' } }, schema: { tags, summary: "My organisation's answers to an operational alert", params: ProductRef } },
    async (req) => {
      const mine = await responses.myResponses(req.ctx, req.params.id);
      return { recipient: mine.recipient, responses: mine.responses.map((r) => ({ id: r.id, status: r.status, comment: r.comment, via: r.via, respondedAt: r.responded_at.toISOString() })) };
    },
  );

  const HOOKS = { access: { auth: 'user', permission: 'webhooks:manage' } } as const;
  app.get('/api/v1/webhooks', { config: HOOKS, schema: { tags, summary: 'Webhooks (of my organisation, or all for the CERT)', querystring: z.object({ organisationId: z.uuid().optional() }).strict(), response: { 200: z.object({ items: z.array(WebhookOut) }) } } }, async (req) => ({
    items: (await webhooks.listWebhooks(req.ctx, req.query.organisationId)).map(presentWebhook),
  }));
  app.post('/api/v1/webhooks', { config: HOOKS, schema: { tags, summary: 'Add a webhook; the signing secret is shown once', body: WebhookInput, response: { 201: WebhookOut.extend({ secret: z.string() }) } } }, async (req, reply) => {
    const row = await webhooks.createWebhook(req.ctx, req.body);
    return reply.status(201).send({ ...presentWebhook(row), secret: row.secret });
  });
  app.patch('/api/v1/webhooks/:id', { config: HOOKS, schema: { tags, summary: 'Change a webhook', params: IdParams, body: WebhookPatch, response: { 200: WebhookOut } } }, async (req) =>
    presentWebhook(await webhooks.updateWebhook(req.ctx, req.params.id, req.body)),
  );
  app.delete('/api/v1/webhooks/:id', { config: HOOKS, schema: { tags, summary: 'Remove a webhook', params: IdParams } }, async (req, reply) => {
    await webhooks.deleteWebhook(req.ctx, req.params.id);
    return reply.status(204).send();
  });
}
