import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { attachmentDisposition } from '#server/content-disposition.ts';
import { reload } from './case.service.ts';
import { CvdCaseOut, CvdIdParams } from './cvd.schema.ts';
import { cveRecord, draftAdvisory } from './disclosure.service.ts';
import { MAX_EXPIRES_DAYS, securityTxtFor, setDelegation } from './delegation.service.ts';

const READ = { access: { auth: 'user', permission: 'cvd:read' } } as const;
const WRITE = { access: { auth: 'user', permission: 'cvd:write' } } as const;
const ORG_READ = { access: { auth: 'user', permission: 'organisations:read' } } as const;
const tags = ['cvd'];

const AdvisoryInput = z.object({ tlp: z.enum(['CLEAR', 'GREEN', 'AMBER']).optional() }).strict();
const CveRecordQuery = z.object({ download: z.enum(['0', '1', 'true', 'false']).optional() }).strict();
const DelegationParams = z.object({ organisationId: z.uuid('This is not a valid organisation id.') }).strict();
const DelegationInput = z.object({ delegated: z.boolean() }).strict();
const DelegationOut = z.object({ organisationId: z.string(), name: z.string(), delegated: z.boolean() });
const OrganisationParams = z.object({ id: z.uuid('This is not a valid organisation id.') }).strict();
const SecurityTxtQuery = z
  .object({
    expiresDays: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_EXPIRES_DAYS, `Expires is at most ${MAX_EXPIRES_DAYS} days ahead (RFC 9116: less than a year).`)
      .optional(),
    signed: z.enum(['true', 'false']).optional(),
  })
  .strict();

/** Disclosure of a case (advisory draft, CVE record) and CVD delegation (a participant's security.txt). */
export function cvdDisclosureRoutes(app: App): void {
  app.post(
    '/api/v1/cvd/cases/:id/advisory',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Draft the case’s advisory (CVE, CWE, CVSS, products, credit as the finder chose)',
        params: CvdIdParams,
        body: AdvisoryInput,
        response: { 201: z.object({ case: CvdCaseOut, productId: z.string() }) },
      },
    },
    async (req, reply) => {
      const { productId } = await draftAdvisory(req.ctx, req.params.id, { tlp: req.body.tlp });
      return reply.status(201).send({ case: await reload(req.ctx, req.params.id), productId });
    },
  );

  // The record is sent as text (already JSON): as a download it keeps its layout for the CNA's tools.
  app.get(
    '/api/v1/cvd/cases/:id/cve-record',
    {
      config: READ,
      schema: {
        tags,
        summary: 'The CVE JSON 5 record for the CNA to submit (the CERT; ?download=1 as a file)',
        params: CvdIdParams,
        querystring: CveRecordQuery,
      },
    },
    async (req, reply) => {
      const record = await cveRecord(req.ctx, req.params.id);
      const download = req.query.download === '1' || req.query.download === 'true';
      if (download) void reply.header('content-disposition', attachmentDisposition(`${record.cveMetadata.cveId}.json`));
      void reply.header('cache-control', 'no-store');
      return reply.type('application/json; charset=utf-8').send(`${JSON.stringify(record, null, 2)}\n`);
    },
  );

  app.put(
    '/api/v1/cvd/delegations/:organisationId',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Record that a participant delegates (or no longer delegates) its CVD to the CERT',
        params: DelegationParams,
        body: DelegationInput,
        response: { 200: DelegationOut },
      },
    },
    async (req) => setDelegation(req.ctx, req.params.organisationId, req.body.delegated),
  );

  app.get(
    '/api/v1/organisations/:id/security-txt',
    {
      config: ORG_READ,
      schema: {
        tags,
        summary: 'The security.txt (RFC 9116) of a participant that delegated its CVD to the CERT',
        params: OrganisationParams,
        querystring: SecurityTxtQuery,
      },
    },
    async (req, reply) => {
      const file = await securityTxtFor(req.ctx, req.params.id, { expiresDays: req.query.expiresDays, signed: req.query.signed === 'true' });
      void reply.header('cache-control', 'no-store');
      return reply.type('text/plain; charset=utf-8').send(file.text);
    },
  );
}
