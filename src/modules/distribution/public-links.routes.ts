import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '#server/http-types.ts';
import { AppError } from '#server/errors.ts';
import { escapeHtml } from '#modules/advisories/product-page.ts';
import { SUBSCRIPTIONS } from '#modules/organisations/organisation.schema.ts';
import * as responses from './alert-response.service.ts';
import * as prefs from './contact-preferences.service.ts';

/**
 * The pages behind links in mail, for people without a login: answering an operational alert
 * (a GET only shows what the link will record, so mail scanners that follow links record nothing;
 * the button POSTs) and a contact's subscriptions (with RFC 8058 one-click unsubscribe).
 */

const PUBLIC = { access: { auth: 'public', permission: 'none' } } as const;
const tags = ['public'];
const TokenParams = z.object({ token: z.string().min(10).max(2000).regex(/^[A-Za-z0-9_.-]+$/, 'This is not a link token.') }).strict();

const LABELS: Record<string, string> = {
  received: 'Ontvangen / Received',
  not_affected: 'Niet getroffen / Not affected',
  mitigating: 'Bezig met maatregelen / Mitigating',
  patched: 'Opgelost / Patched',
  advisories: 'Beveiligingsadviezen / Advisories',
  info_messages: 'Informatieberichten / Information messages',
  operational_alerts: 'Operationele waarschuwingen / Operational alerts',
  end_of_week: 'Weekoverzicht / Weekly digest',
  end_of_month: 'Maandoverzicht / Monthly digest',
  monitoring: 'Monitoringrapporten / Monitoring reports',
  zdn: 'Zorg Dreigingsnotificaties / Threat notifications',
};

function page(reply: FastifyReply, status: number, title: string, body: string) {
  void reply.header('cache-control', 'no-store');
  void reply.header('referrer-policy', 'no-referrer');
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5"><h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

/** A person following a link gets a page; a program (no Accept: text/html) the API's error shape. */
function errorPage(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (err instanceof AppError && (req.headers.accept ?? '').includes('text/html')) return page(reply, err.status, err.code === 'link_expired' ? 'Link verlopen / Link expired' : 'Dit lukte niet / This did not work', `<p role="alert">${escapeHtml(err.message)}</p>`);
  throw err;
}

const RespondForm = z.object({ comment: z.string().max(2000).optional() }).strict();
const PrefsForm = z
  .object({
    'List-Unsubscribe': z.literal('One-Click').optional(),
    subscriptions: z.union([z.string(), z.array(z.string())]).optional(),
    onlyRelevant: z.string().optional(),
  })
  .strict();

export function publicLinkRoutes(app: App): void {
  // Forms post urlencoded bodies; they become plain objects that the route schemas then check.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
    const params = new URLSearchParams(body as string);
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of params) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    done(null, out);
  });

  app.get('/respond/:token', { config: PUBLIC, schema: { tags, summary: 'Confirm an answer to an operational alert (from the mail link)', params: TokenParams } }, async (req, reply) => {
    try {
      const d = await responses.describeLink(req.ctx, req.params.token);
      return page(
        reply,
        200,
        `${d.identifier}: ${LABELS[d.status] ?? d.status}`,
        `<p><strong>${escapeHtml(d.organisationName)}</strong> — ${escapeHtml(d.identifier)} ${escapeHtml(d.title)}</p>
<form method="post" action="/respond/${escapeHtml(req.params.token)}"><p><label for="comment">Toelichting (optioneel) / Comment (optional)</label><br><textarea id="comment" name="comment" rows="4" cols="50" maxlength="2000"></textarea></p>
<p><button type="submit">Bevestig: ${escapeHtml(LABELS[d.status] ?? d.status)}</button></p></form>`,
      );
    } catch (err) {
      return errorPage(req, reply, err);
    }
  });

  app.post('/respond/:token', { config: PUBLIC, schema: { tags, summary: 'Record an answer to an operational alert (once per link)', params: TokenParams, body: RespondForm.nullish() } }, async (req, reply) => {
    try {
      const comment = req.body?.comment?.trim() || null;
      const r = await responses.respondByLink(req.ctx, req.params.token, comment);
      return page(reply, 201, 'Dank u / Thank you', `<p role="status">Uw antwoord <strong>${escapeHtml(LABELS[r.status] ?? r.status)}</strong> op ${escapeHtml(r.identifier ?? '')} is vastgelegd. / Your answer has been recorded.</p>`);
    } catch (err) {
      return errorPage(req, reply, err);
    }
  });

  app.get('/m/preferences/:token', { config: PUBLIC, schema: { tags, summary: 'A contact’s subscriptions (from the List-Unsubscribe link)', params: TokenParams } }, async (req, reply) => {
    try {
      const p = await prefs.preferences(req.ctx, req.params.token);
      const boxes = SUBSCRIPTIONS.map(
        (s) => `<label style="display:block"><input type="checkbox" name="subscriptions" value="${s}"${p.subscriptions.includes(s) ? ' checked' : ''}> ${escapeHtml(LABELS[s] ?? s)}</label>`,
      ).join('');
      return page(
        reply,
        200,
        'Uw abonnementen / Your subscriptions',
        `<p>${escapeHtml(p.name)} &lt;${escapeHtml(p.email)}&gt;</p><form method="post" action="/m/preferences/${escapeHtml(req.params.token)}">${boxes}
<p><label><input type="checkbox" name="onlyRelevant" value="true"${p.onlyRelevant ? ' checked' : ''}> Alleen adviezen over producten van mijn organisatie / Only advisories about my organisation's products</label></p>
<p><button type="submit">Opslaan / Save</button></p></form>`,
      );
    } catch (err) {
      return errorPage(req, reply, err);
    }
  });

  app.post('/m/preferences/:token', { config: PUBLIC, schema: { tags, summary: 'Change subscriptions, or one-click unsubscribe (RFC 8058)', params: TokenParams, body: PrefsForm.nullish() } }, async (req, reply) => {
    try {
      const body = req.body ?? {};
      if (body['List-Unsubscribe'] === 'One-Click') {
        const list = await prefs.unsubscribeOneClick(req.ctx, req.params.token);
        return page(reply, 200, 'Afgemeld / Unsubscribed', `<p role="status">U ontvangt geen ${escapeHtml(LABELS[list ?? ''] ?? 'berichten van deze lijst')} meer. / You are unsubscribed.</p>`);
      }
      const subs = body.subscriptions === undefined ? [] : Array.isArray(body.subscriptions) ? body.subscriptions : [body.subscriptions];
      const saved = await prefs.savePreferences(req.ctx, req.params.token, { subscriptions: subs, onlyRelevant: body.onlyRelevant === 'true' });
      return page(reply, 200, 'Opgeslagen / Saved', `<p role="status">${saved.subscriptions.map((s) => escapeHtml(LABELS[s] ?? s)).join(', ') || 'Geen abonnementen / No subscriptions'}</p>`);
    } catch (err) {
      return errorPage(req, reply, err);
    }
  });
}
