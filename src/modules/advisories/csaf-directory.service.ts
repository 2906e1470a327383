import type { Ctx } from '#server/context.ts';
import { AppError, notFound } from '#server/errors.ts';
import { authorize, canSeeMarked } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publicKeys } from '#modules/keys/signing-key.service.ts';
import type { TlpText } from '#db/schema.ts';
import { publisherOf } from './publication.service.ts';
import * as repo from './advisory.repository.ts';
import * as directoryRepo from './directory.repository.ts';

/**
 * Our CSAF trusted-provider directory (CSAF 2.0 §7): provider-metadata.json, one folder per TLP
 * with a folder per year, hashes and signatures beside each document, index.txt, changes.csv and a
 * ROLIE feed per TLP. WHITE is public; GREEN, AMBER and RED need an API token of an organisation
 * the marking allows, and list only what that organisation may see.
 */

export const DIRECTORIES = ['white', 'green', 'amber', 'red'] as const;
export type Directory = (typeof DIRECTORIES)[number];

const TLPS_IN: Record<Directory, TlpText[]> = { white: ['CLEAR'], green: ['GREEN'], amber: ['AMBER', 'AMBER+STRICT'], red: ['RED'] };
const CSAF_LABEL: Record<Directory, string> = { white: 'WHITE', green: 'GREEN', amber: 'AMBER', red: 'RED' };

const base = (ctx: Ctx) => `${ctx.services.config.publicUrl}/.well-known/csaf`;
export const feedName = (d: Directory) => `feed-tlp-${d}.json`;

export async function providerMetadata(ctx: Ctx) {
  const publisher = await publisherOf(ctx);
  const keys = await publicKeys(ctx);
  const last = (await directoryRepo.lastPublishedAt(ctx.db)) ?? new Date(0);
  return {
    canonical_url: `${base(ctx)}/provider-metadata.json`,
    distributions: DIRECTORIES.map((d) => ({
      directory_url: `${base(ctx)}/${d}/`,
      rolie: { feeds: [{ summary: `TLP:${CSAF_LABEL[d]} advisories`, tlp_label: CSAF_LABEL[d], url: `${base(ctx)}/${d}/${feedName(d)}` }] },
    })),
    last_updated: last.toISOString(),
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    public_openpgp_keys: keys.map((k) => ({ fingerprint: k.fingerprint, url: `${base(ctx)}/openpgp/${k.fingerprint}.asc` })),
    publisher: { category: 'coordinator', name: publisher.name, namespace: publisher.namespace },
    role: 'csaf_trusted_provider',
  };
}

/**
 * Access to one directory. WHITE: anyone. Others: an authenticated actor with advisories:read; an
 * anonymous caller is told to authenticate (401), not that the directory is empty.
 */
function enter(ctx: Ctx, dir: Directory): void {
  if (dir === 'white') return;
  if (!ctx.actor) throw new AppError('unauthenticated', 'unauthenticated', `TLP:${CSAF_LABEL[dir]} documents need an API token: send “Authorization: Bearer <token>”.`);
  authorize(ctx.actor, 'advisories:read');
}

async function visibleEntries(ctx: Ctx, dir: Directory) {
  enter(ctx, dir);
  return directoryRepo.listDirectory(ctx.db, ctx.actor, TLPS_IN[dir], dir);
}

const relative = (dir: Directory, path: string) => path.slice(dir.length + 1);

export async function indexTxt(ctx: Ctx, dir: Directory): Promise<string> {
  const rows = await visibleEntries(ctx, dir);
  return rows.map((r) => `${relative(dir, r.csaf_path)}\n`).join('');
}

/** changes.csv: "path","current_release_date", newest first, no header (§7.1.13). */
export async function changesCsv(ctx: Ctx, dir: Directory): Promise<string> {
  const rows = await visibleEntries(ctx, dir);
  return rows.map((r) => `"${relative(dir, r.csaf_path)}","${r.published_at.toISOString()}"\n`).join('');
}

/** The ROLIE feed (RFC 8322) for one TLP, as §7.1.15 describes its entries. */
export async function rolieFeed(ctx: Ctx, dir: Directory) {
  const rows = await visibleEntries(ctx, dir);
  const url = (p: string) => `${base(ctx)}/${p}`;
  return {
    feed: {
      id: `${new URL(ctx.services.config.publicUrl).host}-csaf-feed-tlp-${dir}`,
      title: `CSAF feed (TLP:${CSAF_LABEL[dir]})`,
      link: [{ rel: 'self', href: url(`${dir}/${feedName(dir)}`) }],
      category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
      updated: (rows[0]?.published_at ?? new Date(0)).toISOString(),
      entry: rows.map((r) => ({
        id: r.identifier,
        title: r.title,
        link: [
          { rel: 'self', href: url(r.csaf_path) },
          { rel: 'hash', href: url(`${r.csaf_path}.sha256`) },
          { rel: 'hash', href: url(`${r.csaf_path}.sha512`) },
          { rel: 'signature', href: url(`${r.csaf_path}.asc`) },
        ],
        published: (r.first_published_at ?? r.published_at).toISOString(),
        updated: r.published_at.toISOString(),
        summary: { content: r.summary ?? '' },
        content: { type: 'application/json', src: url(r.csaf_path) },
        format: { schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json', version: '2.0' },
      })),
    },
  };
}

export type CsafFileKind = 'json' | 'sha256' | 'sha512' | 'asc';

/** One document, or its hash or signature, if the caller may see it. */
export async function csafFile(ctx: Ctx, dir: Directory, relativePath: string, kind: CsafFileKind) {
  enter(ctx, dir);
  const doc = await directoryRepo.findByCsafPath(ctx.db, `${dir}/${relativePath}`);
  if (!doc?.tlp) throw notFound('document');
  const recipients = doc.tlp === 'CLEAR' || doc.tlp === 'GREEN' ? [] : await repo.recipientsOf(ctx.db, doc.id);
  if (!canSeeMarked(ctx.actor, { tlp: doc.tlp, ownerOrganisationId: doc.owner_organisation_id, recipients })) throw notFound('document');
  if (doc.tlp !== 'CLEAR' && doc.tlp !== 'GREEN' && kind === 'json') await record(ctx, { action: 'product.csaf', targetType: 'product', targetId: doc.id, details: { path: relativePath, tlp: doc.tlp } });
  const name = relativePath.split('/').pop() ?? 'document.json';
  switch (kind) {
    case 'json':
      return { body: doc.csaf, type: 'application/json; charset=utf-8' };
    case 'sha256':
      return { body: `${doc.csaf_sha256}  ${name}\n`, type: 'text/plain; charset=utf-8' };
    case 'sha512':
      return { body: `${doc.csaf_sha512}  ${name}\n`, type: 'text/plain; charset=utf-8' };
    case 'asc':
      return { body: doc.csaf_signature, type: 'application/pgp-signature' };
  }
}

export async function publicKeyFile(ctx: Ctx, fingerprint: string): Promise<string> {
  const key = (await publicKeys(ctx)).find((k) => k.fingerprint === fingerprint.toUpperCase());
  if (!key) throw notFound('key');
  return key.armored;
}

export async function securityTxt(ctx: Ctx): Promise<string> {
  const c = ctx.services.config;
  const keys = await publicKeys(ctx);
  const expires = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  expires.setUTCHours(0, 0, 0, 0);
  const active = keys[0];
  return [
    `Contact: ${c.securityContact}`,
    `Expires: ${expires.toISOString()}`,
    ...(active ? [`Encryption: ${base(ctx)}/openpgp/${active.fingerprint}.asc`] : []),
    'Preferred-Languages: nl, en',
    `Canonical: ${c.publicUrl}/.well-known/security.txt`,
    `CSAF: ${base(ctx)}/provider-metadata.json`,
    '',
  ].join('\n');
}
