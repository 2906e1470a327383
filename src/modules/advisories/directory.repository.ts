import type { Kysely } from 'kysely';
import type { DB, TlpText } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { visibleProducts } from './advisory.repository.ts';

/* Published products as the public pages, the Atom feed and the CSAF provider directory read them. */

/** Published CLEAR products for the public pages and the Atom feed, newest first. */
export async function listPublic(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('products as p')
    .select([
      'p.id',
      'p.kind',
      'p.identifier',
      'p.tlp',
      'p.owner_organisation_id',
      'p.title',
      'p.summary',
      'p.current_revision',
      'p.published_at',
      'p.first_published_at',
      'p.withdrawn_at',
      'p.cves',
    ])
    .where('p.current_revision', 'is not', null)
    .where('p.tlp', '=', 'CLEAR')
    .orderBy('p.published_at', 'desc')
    .limit(limit)
    .execute();
}

/** When the newest revision of any product was published (provider-metadata's last_updated). */
export async function lastPublishedAt(db: Kysely<DB>): Promise<Date | null> {
  const row = await db.selectFrom('products').select((eb) => eb.fn.max('published_at').as('at')).where('current_revision', 'is not', null).executeTakeFirst();
  return row?.at ?? null;
}

/** The current revision of every published product in one directory that the actor may see (the TLP rule in SQL). */
export async function listDirectory(db: Kysely<DB>, actor: Actor | null, tlps: TlpText[], directory: string) {
  return db
    .selectFrom('products as p')
    .innerJoin('product_revisions as r', (j) => j.onRef('r.product_id', '=', 'p.id').onRef('r.revision', '=', 'p.current_revision'))
    .select([
      'p.id',
      'p.identifier',
      'p.tlp',
      'p.owner_organisation_id',
      'p.title',
      'p.summary',
      'p.first_published_at',
      'r.published_at',
      'r.csaf_path',
      'r.revision',
    ])
    .where('p.tlp', 'in', tlps)
    .where('r.csaf_path', 'like', `${directory}/%`)
    .where(visibleProducts(actor))
    .orderBy('r.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
}

export async function findByCsafPath(db: Kysely<DB>, csafPath: string) {
  return db
    .selectFrom('products as p')
    .innerJoin('product_revisions as r', (j) => j.onRef('r.product_id', '=', 'p.id').onRef('r.revision', '=', 'p.current_revision'))
    .select(['p.id', 'p.tlp', 'p.owner_organisation_id', 'r.csaf', 'r.csaf_sha256', 'r.csaf_sha512', 'r.csaf_signature', 'r.published_at'])
    .where('r.csaf_path', '=', csafPath)
    .executeTakeFirst();
}
