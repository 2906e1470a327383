import { createHmac } from 'node:crypto';
import { tlpLabel } from '#lib/tlp.ts';
import type { WebhookFormat } from '#db/schema.ts';
import type { ProductMessage } from './product-message.ts';

/**
 * The body of a webhook call per format: our own JSON (signed with HMAC-SHA256 over
 * "<timestamp>.<body>", header X-Wachtpost-Signature: t=<unix seconds>,v1=<hex>), the
 * Mattermost/Slack incoming-webhook message, and a Microsoft Teams Workflows message with an
 * Adaptive Card. Only what the recipient may read is in it: the policy chose the webhook.
 */

export function productEvent(m: ProductMessage) {
  const i = m.input;
  return {
    event: i.withdrawnReason !== null ? 'product.withdrawn' : i.revision > 1 ? 'product.updated' : 'product.published',
    product: {
      identifier: i.identifier,
      kind: i.kind,
      revision: i.revision,
      tlp: i.tlp,
      title: i.text.nl?.title ?? '',
      titleEn: i.text.en?.title ?? null,
      summary: m.summary,
      urgency: i.urgency,
      cves: i.cves,
      publishedAt: i.publishedAt.toISOString(),
      withdrawn: i.withdrawnReason !== null,
      url: i.portalUrl,
    },
  };
}

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookBody(format: WebhookFormat, m: ProductMessage): unknown {
  const e = productEvent(m);
  const p = e.product;
  const heading = `[${tlpLabel(p.tlp)}] ${p.identifier}${p.revision > 1 ? ` (rev. ${p.revision})` : ''}: ${p.title}`;
  switch (format) {
    case 'json':
      return e;
    case 'slack':
      return { text: `**${heading}**${p.withdrawn ? ' — WITHDRAWN' : ''}\n${p.summary}${p.cves.length ? `\n${p.cves.join(', ')}` : ''}\n<${p.url}|Open in the portal>` };
    case 'teams':
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                { type: 'TextBlock', text: tlpLabel(p.tlp), weight: 'Bolder', color: p.tlp === 'RED' ? 'Attention' : p.tlp.startsWith('AMBER') ? 'Warning' : p.tlp === 'GREEN' ? 'Good' : 'Default' },
                { type: 'TextBlock', text: `${p.identifier}: ${p.title}`, size: 'Large', weight: 'Bolder', wrap: true },
                { type: 'TextBlock', text: p.summary || ' ', wrap: true },
                ...(p.cves.length ? [{ type: 'TextBlock', text: p.cves.join(', '), isSubtle: true, wrap: true }] : []),
              ],
              actions: [{ type: 'Action.OpenUrl', title: 'Open in the portal', url: p.url }],
            },
          },
        ],
      };
  }
}
