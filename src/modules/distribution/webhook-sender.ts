import { z } from 'zod';
import { safePost } from '#lib/safe-http.ts';
import type { OutboxHandler } from '#modules/mail/outbox.service.ts';
import * as repo from './webhook.repository.ts';
import { loadProductMessage, PermanentFailure } from './product-message.ts';
import { webhookBody, webhookSignature } from './webhook-formats.ts';

const WebhookPayload = z.object({ template: z.literal('product'), productId: z.string(), revision: z.number().int(), webhookId: z.string() });

/**
 * Posts a webhook row. 2xx is delivered; a redirect, or a 4xx other than 408/429, will not get
 * better by trying again and gives up; anything else (5xx, timeouts, refused connections) retries
 * with the outbox's back-off. The target is checked against SSRF rules at connect time.
 */
export function createWebhookHandler(): OutboxHandler {
  return {
    async send(ctx, row) {
      const parsed = WebhookPayload.safeParse(row.payload);
      if (!parsed.success) throw new PermanentFailure('Unreadable webhook payload.');
      const p = parsed.data;
      const hook = await repo.findWebhook(ctx.db, p.webhookId);
      if (!hook || !hook.enabled) throw new PermanentFailure('The webhook was removed or disabled.');
      const message = await loadProductMessage(ctx, p.productId, p.revision);
      const body = JSON.stringify(webhookBody(hook.format, message));
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = { 'x-wachtpost-delivery': row.id };
      if (hook.format === 'json') headers['x-wachtpost-signature'] = webhookSignature(hook.secret, timestamp, body);
      let status: number;
      try {
        status = (await safePost(new URL(hook.url), body, headers, { allowedHosts: ctx.services.config.webhookAllowedHosts })).status;
      } catch (err) {
        await repo.recordAttempt(ctx.db, hook.id, `error: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      await repo.recordAttempt(ctx.db, hook.id, String(status));
      if (status >= 200 && status < 300) return;
      if (status >= 300 && status < 400) throw new PermanentFailure(`The webhook answered ${status} (a redirect); redirects are not followed.`);
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new PermanentFailure(`The webhook answered ${status}.`);
      throw new Error(`The webhook answered ${status}.`);
    },
  };
}
