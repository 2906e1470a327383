import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import * as assets from './asset.service.ts';
import { presentAsset } from './asset.presenter.ts';
import { Asset, AssetImportInput, AssetImportQuery, AssetInput, AssetListQuery, RejectInput } from './organisation.schema.ts';

const ImportReport = z.object({ dryRun: z.boolean(), accepted: z.number(), rejected: z.array(z.object({ line: z.number(), value: z.string(), reason: z.string() })) });

export function assetRoutes(app: App): void {
  app.get(
    '/api/v1/organisations/:id/assets',
    { config: { access: { auth: 'user', permission: 'assets:read' } }, schema: { tags: ['assets'], summary: 'Declared assets of an organisation', params: IdParams, response: { 200: z.object({ items: z.array(Asset) }) } } },
    async (req) => ({ items: (await assets.listAssets(req.ctx, req.params.id)).map(presentAsset) }),
  );

  app.post(
    '/api/v1/organisations/:id/assets',
    { config: { access: { auth: 'user', permission: 'assets:propose' } }, schema: { tags: ['assets'], summary: 'Propose an asset (approved at once when the CERT adds it)', params: IdParams, body: AssetInput, response: { 201: Asset } } },
    async (req, reply) => reply.status(201).send(presentAsset(await assets.proposeAsset(req.ctx, req.params.id, req.body))),
  );

  app.post(
    '/api/v1/organisations/:id/assets/import',
    { config: { access: { auth: 'user', permission: 'assets:propose' } }, schema: { tags: ['assets'], summary: 'Import assets from CSV; dryRun=true (default) only reports', params: IdParams, querystring: AssetImportQuery, body: AssetImportInput, response: { 200: ImportReport } } },
    async (req) => assets.importAssets(req.ctx, req.params.id, req.body.csv, req.query.dryRun),
  );

  app.get(
    '/api/v1/assets',
    { config: { access: { auth: 'user', permission: 'assets:read' } }, schema: { tags: ['assets'], summary: 'Assets across organisations I may see (the approvals queue: status=proposed)', querystring: AssetListQuery, response: { 200: z.object({ items: z.array(Asset), nextCursor: z.string().nullable() }) } } },
    async (req) => {
      const page = await assets.listAssetQueue(req.ctx, req.query);
      return { items: page.items.map(presentAsset), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/assets/:id/approve',
    { config: { access: { auth: 'user', permission: 'assets:decide' } }, schema: { tags: ['assets'], summary: 'Approve a proposed asset', params: IdParams, response: { 200: Asset } } },
    async (req) => presentAsset(await assets.decideAsset(req.ctx, req.params.id, { approve: true })),
  );

  app.post(
    '/api/v1/assets/:id/reject',
    { config: { access: { auth: 'user', permission: 'assets:decide' } }, schema: { tags: ['assets'], summary: 'Reject a proposed asset, with the reason', params: IdParams, body: RejectInput, response: { 200: Asset } } },
    async (req) => presentAsset(await assets.decideAsset(req.ctx, req.params.id, { approve: false, reason: req.body.reason })),
  );
}
