import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict, notFound } from '#server/errors.ts';
import { authorize, organisationScope } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as repo from './organisation.repository.ts';
import type { OrganisationInput, OrganisationPatch } from './organisation.schema.ts';

export async function listOrganisations(ctx: Ctx, q: { kind?: string | undefined; q?: string | undefined; cursor?: string | undefined; limit: number }) {
  authorize(ctx.actor, 'organisations:read');
  const result = await repo.listOrganisations(ctx.db, { scope: organisationScope(ctx.actor, 'organisations:read'), ...q });
  const clients = await repo.clientIdsOf(ctx.db, result.rows.filter((r) => r.kind === 'partner').map((r) => r.id));
  return { ...result, clients };
}

export async function getOrganisation(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'organisations:read', { organisationId: id, notFoundAs: 'organisation' });
  const row = await repo.findOrganisation(ctx.db, id);
  if (!row) throw notFound('organisation');
  const clients = await repo.clientIdsOf(ctx.db, [row.id]);
  return { row, clientIds: clients.get(row.id) ?? [] };
}

async function checkClients(ctx: Ctx, kind: string, clientIds: readonly string[] | undefined): Promise<void> {
  if (!clientIds?.length) return;
  if (kind !== 'partner') throw badRequest('clients_only_for_partners', 'Only a partner organisation acts for clients.', { field: 'clientOrganisationIds' });
  if ((await repo.countParticipants(ctx.db, clientIds)) !== new Set(clientIds).size) {
    throw badRequest('unknown_client', 'Every client must be an existing participant organisation.', { field: 'clientOrganisationIds' });
  }
}

export async function createOrganisation(ctx: Ctx, input: OrganisationInput) {
  authorize(ctx.actor, 'organisations:create');
  if (await repo.findOrganisationByName(ctx.db, input.name)) throw conflict('organisation_name_taken', `An organisation named “${input.name}” already exists.`, { field: 'name' });
  await checkClients(ctx, input.kind, input.clientOrganisationIds);
  return inTransaction(ctx, async (tx) => {
    const row = await repo.insertOrganisation(tx.db, {
      kind: input.kind,
      name: input.name,
      shortName: input.shortName ?? null,
      segment: input.segment ?? null,
      membershipStatus: input.membershipStatus,
      memberSince: input.memberSince ?? null,
      memberUntil: input.memberUntil ?? null,
    });
    if (input.clientOrganisationIds) await repo.setClients(tx.db, row.id, input.clientOrganisationIds);
    await record(tx, { action: 'organisation.create', targetType: 'organisation', targetId: row.id, details: { name: row.name, kind: row.kind } });
    await publish(tx, { type: 'organisation.changed', organisationId: row.id, data: { id: row.id } });
    return { row, clientIds: [...new Set(input.clientOrganisationIds ?? [])] };
  });
}

export async function updateOrganisation(ctx: Ctx, id: string, patch: OrganisationPatch) {
  authorize(ctx.actor, 'organisations:update', { organisationId: id, notFoundAs: 'organisation' });
  const existing = await repo.findOrganisation(ctx.db, id);
  if (!existing) throw notFound('organisation');
  if (patch.segment && existing.kind !== 'participant') throw badRequest('segment_only_for_participants', 'Only participants have a segment.', { field: 'segment' });
  if (patch.name && patch.name.toLowerCase() !== existing.name.toLowerCase() && (await repo.findOrganisationByName(ctx.db, patch.name))) {
    throw conflict('organisation_name_taken', `An organisation named “${patch.name}” already exists.`, { field: 'name' });
  }
  await checkClients(ctx, existing.kind, patch.clientOrganisationIds);
  return inTransaction(ctx, async (tx) => {
    const row = await repo.updateOrganisation(tx.db, id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.shortName !== undefined && { short_name: patch.shortName }),
      ...(patch.segment !== undefined && { segment: patch.segment }),
      ...(patch.membershipStatus !== undefined && { membership_status: patch.membershipStatus }),
      ...(patch.memberSince !== undefined && { member_since: patch.memberSince }),
      ...(patch.memberUntil !== undefined && { member_until: patch.memberUntil }),
    });
    if (!row) throw notFound('organisation');
    if (patch.clientOrganisationIds) await repo.setClients(tx.db, id, patch.clientOrganisationIds);
    await record(tx, { action: 'organisation.update', targetType: 'organisation', targetId: id, details: { fields: Object.keys(patch) } });
    await publish(tx, { type: 'organisation.changed', organisationId: id, data: { id } });
    const clients = await repo.clientIdsOf(tx.db, [id]);
    return { row, clientIds: clients.get(id) ?? [] };
  });
}
