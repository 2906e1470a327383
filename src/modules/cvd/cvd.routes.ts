import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { attachmentDisposition } from '#server/content-disposition.ts';
import * as cases from './case.service.ts';
import * as coordination from './coordination.service.ts';
import * as parties from './party.service.ts';
import * as deadlines from './deadline.service.ts';
import {
  CvdAttachmentParams,
  CvdCaseOut,
  CvdIdParams,
  CvdListQuery,
  CvdPartyParams,
  CvdPatch,
  CvdSummaryOut,
  MessageInput,
  NoteInput,
  PartyInput,
  PartyPatch,
  PartyViewOut,
  ReplyInput,
  ReportInput,
  ShareAttachmentInput,
} from './cvd.schema.ts';

const READ = { access: { auth: 'user', permission: 'cvd:read' } } as const;
const RESPOND = { access: { auth: 'user', permission: 'cvd:respond' } } as const;
const WRITE = { access: { auth: 'user', permission: 'cvd:write' } } as const;
const tags = ['cvd'];
const Buckets = z.object({ overdue: z.array(CvdSummaryOut), soon: z.array(CvdSummaryOut) });
const CvdDashboardOut = z.object({ firstResponse: Buckets, disclosure: Buckets, counts: z.record(z.string(), z.number()) });
const Added = z.object({ case: CvdCaseOut, partyId: z.string(), privateLink: z.string().nullable() });

export function sendAttachment(reply: FastifyReply, file: { fileName: string; stream: Readable }) {
  void reply.header('content-disposition', attachmentDisposition(file.fileName));
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('cache-control', 'no-store');
  return reply.type('application/octet-stream').send(file.stream);
}

/** The CERT's CVD cases (coordination) and a party's own channel in the portal. Public pages: public-cvd.routes.ts. */
export function cvdRoutes(app: App): void {
  app.get('/api/v1/cvd/cases', { config: READ, schema: { tags, summary: 'CVD cases (the CERT: all; a party: those it is a party to)', querystring: CvdListQuery, response: { 200: z.object({ items: z.array(CvdSummaryOut), nextCursor: z.string().nullable() }) } } }, async (req) =>
    cases.listCases(req.ctx, req.query),
  );
  app.post('/api/v1/cvd/cases', { config: WRITE, schema: { tags, summary: 'Log a report the CERT received another way (the finder gets a private link)', body: ReportInput, response: { 201: z.object({ case: CvdCaseOut, link: z.string() }) } } }, async (req, reply) =>
    reply.status(201).send(await cases.logReport(req.ctx, req.body)),
  );
  app.get('/api/v1/cvd/dashboard', { config: READ, schema: { tags, summary: 'Cases whose first answer or disclosure date is near or past, and counts per status (the CERT)', response: { 200: CvdDashboardOut } } }, async (req) =>
    deadlines.dashboard(req.ctx),
  );
  app.get('/api/v1/cvd/cases/:id', { config: READ, schema: { tags, summary: 'One case, every channel (the CERT)', params: CvdIdParams, response: { 200: CvdCaseOut } } }, async (req) => cases.getCase(req.ctx, req.params.id));
  app.patch('/api/v1/cvd/cases/:id', { config: WRITE, schema: { tags, summary: 'Change status, disclosure date (with a reason), target, CVE/CWE/CVSS, assignee', params: CvdIdParams, body: CvdPatch, response: { 200: CvdCaseOut } } }, async (req) =>
    cases.patchCase(req.ctx, req.params.id, req.body),
  );
  app.post('/api/v1/cvd/cases/:id/scope-check', { config: WRITE, schema: { tags, summary: 'Match the target against declared assets and products again', params: CvdIdParams, response: { 200: CvdCaseOut } } }, async (req) =>
    cases.recheckScope(req.ctx, req.params.id),
  );

  app.post('/api/v1/cvd/cases/:id/parties', { config: WRITE, schema: { tags, summary: 'Bring a party in: a participant, manufacturer or CERT (with an account, or by mail and a private link)', params: CvdIdParams, body: PartyInput, response: { 201: Added } } }, async (req, reply) =>
    reply.status(201).send(await coordination.addParty(req.ctx, req.params.id, req.body)),
  );
  app.post('/api/v1/cvd/cases/:id/parties/from-scope', { config: WRITE, schema: { tags, summary: 'Bring in every participant the scope check found', params: CvdIdParams, response: { 200: CvdCaseOut } } }, async (req) =>
    coordination.addScopeParties(req.ctx, req.params.id),
  );
  app.post('/api/v1/cvd/cases/:id/parties/from-products', { config: WRITE, schema: { tags, summary: 'Medical devices: bring in every participant that declared the affected product/model', params: CvdIdParams, response: { 200: z.object({ case: CvdCaseOut, added: z.number() }) } } }, async (req) =>
    coordination.addProductParties(req.ctx, req.params.id),
  );
  app.patch('/api/v1/cvd/cases/:id/parties/:partyId', { config: WRITE, schema: { tags, summary: 'Record a party’s status or its consent to be named to the finder', params: CvdPartyParams, body: PartyPatch, response: { 200: CvdCaseOut } } }, async (req) =>
    coordination.patchParty(req.ctx, req.params.id, req.params.partyId, req.body),
  );
  app.post('/api/v1/cvd/cases/:id/parties/:partyId/link', { config: WRITE, schema: { tags, summary: 'A new private link for a party without an account (mailed; the old one stops working)', params: CvdPartyParams, response: { 200: Added } } }, async (req) =>
    coordination.reissueLink(req.ctx, req.params.id, req.params.partyId),
  );
  app.post('/api/v1/cvd/cases/:id/messages', { config: WRITE, schema: { tags, summary: 'Write into a party’s channel (relay: name the message passed on)', params: CvdIdParams, body: MessageInput, response: { 201: CvdCaseOut } } }, async (req, reply) =>
    reply.status(201).send(await coordination.sendMessage(req.ctx, req.params.id, req.body)),
  );
  app.post('/api/v1/cvd/cases/:id/notes', { config: WRITE, schema: { tags, summary: 'An internal note (the CERT only)', params: CvdIdParams, body: NoteInput, response: { 201: CvdCaseOut } } }, async (req, reply) =>
    reply.status(201).send(await coordination.addNote(req.ctx, req.params.id, req.body.body)),
  );
  app.get('/api/v1/cvd/cases/:id/attachments/:attachmentId', { config: READ, schema: { tags, summary: 'Download an attachment (always as a download)', params: CvdAttachmentParams } }, async (req, reply) =>
    sendAttachment(reply, await parties.certAttachment(req.ctx, req.params.id, req.params.attachmentId)),
  );
  app.post('/api/v1/cvd/cases/:id/attachments/:attachmentId/share', { config: WRITE, schema: { tags, summary: 'Pass an attachment on to a party (a finder’s only with their consent)', params: CvdAttachmentParams, body: ShareAttachmentInput, response: { 200: CvdCaseOut } } }, async (req) =>
    coordination.shareAttachment(req.ctx, req.params.id, req.params.attachmentId, req.body.partyId),
  );

  // A party's own channel, in the portal.
  app.get('/api/v1/cvd/party-cases/:id', { config: READ, schema: { tags, summary: 'A case my organisation is a party to: the report and our channel', params: CvdIdParams, response: { 200: PartyViewOut } } }, async (req) =>
    parties.partyView(req.ctx, req.params.id),
  );
  app.post('/api/v1/cvd/party-cases/:id/messages', { config: RESPOND, schema: { tags, summary: 'Write to the CERT in our channel', params: CvdIdParams, body: ReplyInput, response: { 201: PartyViewOut } } }, async (req, reply) =>
    reply.status(201).send(await parties.partyReply(req.ctx, req.params.id, req.body.body)),
  );
  app.patch('/api/v1/cvd/party-cases/:id', { config: RESPOND, schema: { tags, summary: 'Our status (acknowledged, fix planned, fixed, not affected) and consent to be named to the finder', params: CvdIdParams, body: PartyPatch, response: { 200: PartyViewOut } } }, async (req) =>
    parties.partyUpdate(req.ctx, req.params.id, req.body),
  );
  app.get('/api/v1/cvd/party-cases/:id/attachments/:attachmentId', { config: READ, schema: { tags, summary: 'Download an attachment the CERT passed on to us', params: CvdAttachmentParams } }, async (req, reply) =>
    sendAttachment(reply, await parties.partyAttachment(req.ctx, req.params.id, req.params.attachmentId)),
  );
}
