import type { Ctx } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { authorize, organisationScope } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import { randomToken } from '#modules/identity/secrets.ts';
import { tlpRank, type Tlp } from '#lib/tlp.ts';
import { checkTargetUrl } from '#lib/safe-http.ts';
import type { WebhookFormat } from '#db/schema.ts';
import * as repo from './webhook.repository.ts';

/**
 * Webhooks of an organisation (chat channels, ticket systems). A participant's administrator
 * manages their own, up to TLP:GREEN; only the CERT may let a webhook carry AMBER or RED, and only
 * an administrator (WEBHOOK_ALLOWED_HOSTS) can allow a host that is not on the public internet.
 */

export interface WebhookInput {
  organisationId: string;
  name: string;
  url: string;
  format: WebhookFormat;
  maxTlp: Tlp;
  kinds: string[];
}

function checkUrl(ctx: Ctx, url: string): string {
  const checked = checkTargetUrl(url, ctx.services.config.webhookAllowedHosts);
  if (!checked.ok) throw badRequest('webhook_url_forbidden', checked.reason, { field: 'url' });
  return checked.url.toString();
}

function checkCeiling(ctx: Ctx, maxTlp: Tlp): void {
  if (tlpRank(maxTlp) > tlpRank('GREEN') && !(ctx.actor && isCertRole(ctx.actor.role)))
    throw badRequest('webhook_tlp_too_high', 'A webhook carries at most TLP:GREEN; ask the CERT to allow more for a channel that is protected accordingly.', { field: 'maxTlp' });
}

export async function listWebhooks(ctx: Ctx, organisationId?: string) {
  authorize(ctx.actor, 'webhooks:manage');
  const scope = organisationScope(ctx.actor, 'webhooks:manage');
  if (scope === null) return repo.listWebhooks(ctx.db, organisationId ?? null);
  if (organisationId && !scope.includes(organisationId)) return [];
  return repo.listWebhooks(ctx.db, scope[0] ?? '');
}

export async function createWebhook(ctx: Ctx, input: WebhookInput) {
  authorize(ctx.actor, 'webhooks:manage', { organisationId: input.organisationId, notFoundAs: 'organisation' });
  const url = checkUrl(ctx, input.url);
  checkCeiling(ctx, input.maxTlp);
  const secret = randomToken(24);
  return inTransaction(ctx, async (tx) => {
    const row = await repo.insertWebhook(tx.db, { ...input, url, secret, kinds: [...new Set(input.kinds)], createdBy: ctx.actor?.userId ?? null });
    await record(tx, { action: 'webhook.create', targetType: 'webhook', targetId: row.id, details: { organisationId: input.organisationId, url, format: input.format, maxTlp: input.maxTlp } });
    return { ...row, secret };
  });
}

async function loadForWrite(ctx: Ctx, id: string) {
  const hook = await repo.findWebhook(ctx.db, id);
  authorize(ctx.actor, 'webhooks:manage', { organisationId: hook?.organisation_id ?? '', notFoundAs: 'webhook' });
  if (!hook) throw notFound('webhook');
  return hook;
}

export async function updateWebhook(ctx: Ctx, id: string, patch: Partial<Omit<WebhookInput, 'organisationId'>> & { enabled?: boolean }) {
  await loadForWrite(ctx, id);
  if (patch.maxTlp) checkCeiling(ctx, patch.maxTlp);
  const url = patch.url !== undefined ? checkUrl(ctx, patch.url) : undefined;
  return inTransaction(ctx, async (tx) => {
    const row = await repo.updateWebhook(tx.db, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(patch.format !== undefined ? { format: patch.format } : {}),
      ...(patch.maxTlp !== undefined ? { max_tlp: patch.maxTlp } : {}),
      ...(patch.kinds !== undefined ? { kinds: [...new Set(patch.kinds)] } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
    });
    await record(tx, { action: 'webhook.update', targetType: 'webhook', targetId: id, details: patch });
    return row;
  });
}

export async function deleteWebhook(ctx: Ctx, id: string): Promise<void> {
  await loadForWrite(ctx, id);
  await inTransaction(ctx, async (tx) => {
    await repo.deleteWebhook(tx.db, id);
    await record(tx, { action: 'webhook.delete', targetType: 'webhook', targetId: id });
  });
}
