import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMessage, generateKey, readPrivateKey, sign, type PrivateKey } from 'openpgp';
import { csafFilename } from '../../src/modules/advisories/csaf/csaf-filename.ts';
import { testdataPath } from './testdata.ts';

/**
 * Test servers on 127.0.0.1 (a free port the OS picks), started and stopped by the test:
 *
 * - `startStaticServer()`: serves fixed answers per path (feeds, KEV, EPSS, redirects) and logs the
 *   requests.
 * - `startCsafProvider()`: a CSAF 2.0 trusted provider built from the OASIS examples in
 *   ../shared/testdata/csaf-2.0/examples/csaf: provider-metadata.json with the fingerprint and URL
 *   of an OpenPGP key generated here, one folder per TLP label (white, unlabeled, …) with a year
 *   folder per document, a ROLIE feed, changes.csv and index.txt per folder, and for every document
 *   its .sha512 and .sha256 files and a detached armored .asc signature. `layout` decides what the
 *   metadata points at: the ROLIE feeds, or the folders (`directory_url`). An aggregator.json listing
 *   the provider is served too. Documents can be added, updated (a new version with a newer
 *   current_release_date) and tampered with afterwards.
 *
 * Fetchers must be given `makeHttpGet({ allowedHosts: [provider.host] })`: loopback is refused by
 * the SSRF guard unless the exact host:port is allowed.
 *
 *   const provider = await startCsafProvider({ layout: 'rolie' });
 *   const out = await readCsafProvider(makeHttpGet({ allowedHosts: [provider.host] }), { url: provider.url }, null);
 *   await provider.updateDocument('BSI-2022-0001');
 *   await provider.tamper('RHSA-2022:0011', 'signature');
 *   await provider.close();
 */

// ------------------------------------------------------------------------------------------------
// Static server

export interface StaticResponse {
  status?: number;
  body?: string | Buffer;
  /** Content-Type; default from the path's extension. */
  type?: string;
  headers?: Record<string, string>;
}

export interface StaticServer {
  /** "http://127.0.0.1:PORT" */
  readonly origin: string;
  /** "127.0.0.1:PORT", the value to allow in makeHttpGet({ allowedHosts }). */
  readonly host: string;
  readonly port: number;
  /** Paths requested, in order (without the query). */
  readonly requests: string[];
  url(path: string): string;
  /** Serves `response` at `path` from now on (a string or Buffer is a 200 with that body). */
  set(path: string, response: StaticResponse | string | Buffer): void;
  /** Answers `path` with a redirect to `location` (absolute, or a path on this server). */
  redirect(path: string, location: string, status?: number): void;
  remove(path: string): void;
  clearRequests(): void;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  xml: 'application/xml',
  rdf: 'application/rdf+xml',
  atom: 'application/atom+xml',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  asc: 'application/pgp-signature',
  sha512: 'text/plain; charset=utf-8',
  sha256: 'text/plain; charset=utf-8',
  gz: 'application/gzip',
};

export async function startStaticServer(routes: Record<string, StaticResponse | string | Buffer> = {}): Promise<StaticServer> {
  const table = new Map<string, StaticResponse>();
  const requests: string[] = [];
  const normalise = (r: StaticResponse | string | Buffer): StaticResponse => (typeof r === 'string' || Buffer.isBuffer(r) ? { body: r } : r);
  for (const [p, r] of Object.entries(routes)) table.set(p, normalise(r));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    const r = table.get(path);
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
    const body = r.body ?? '';
    res.writeHead(r.status ?? 200, { 'content-type': r.type ?? CONTENT_TYPES[ext] ?? 'application/octet-stream', ...r.headers });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    url: (p) => `${origin}${p.startsWith('/') ? p : `/${p}`}`,
    set: (p, r) => void table.set(p, normalise(r)),
    redirect: (p, location, status = 302) => void table.set(p, { status, headers: { location } }),
    remove: (p) => void table.delete(p),
    clearRequests: () => void requests.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ------------------------------------------------------------------------------------------------
// CSAF provider

/** The OASIS examples served by default. */
export const SAMPLE_CSAF_DOCUMENTS = ['bsi-2022-0001.json', 'cisco-sa-20180328-smi2.json', 'rhsa-2021_5217.json', 'rhsa-2022_0011.json'] as const;
/** One more OASIS example, for "a document added later". */
export const EXTRA_CSAF_DOCUMENT = 'rhsa-2019_1862.json';

export type CsafJson = {
  document: {
    title: string;
    tracking: {
      id: string;
      version: string;
      initial_release_date: string;
      current_release_date: string;
      revision_history: { date: string; number: string; summary: string }[];
      [k: string]: unknown;
    };
    distribution?: { tlp?: { label?: string } };
    notes?: { category: string; text: string; title?: string }[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

/** A copy of an OASIS example document (file name in csaf-2.0/examples/csaf). */
export function loadCsafExample(name: string): CsafJson {
  return JSON.parse(readFileSync(testdataPath('csaf-2.0/examples/csaf', name), 'utf8')) as CsafJson;
}

export type CsafProviderLayout = 'rolie' | 'directory';
/**
 * hash: the hash files hold a wrong digest; signature: the .asc is a valid signature by another key;
 * content: the document changed after it was hashed and signed; missing-hash / missing-signature:
 * the files are absent (404).
 */
export type CsafDocumentTamper = 'hash' | 'signature' | 'content' | 'missing-hash' | 'missing-signature';
/** fingerprint: the metadata lists another fingerprint; other-key: the key URL serves another key. */
export type CsafKeyTamper = 'fingerprint' | 'other-key';

export interface StartCsafProviderOptions {
  /** OASIS example file names or CSAF documents; default SAMPLE_CSAF_DOCUMENTS. */
  documents?: readonly (string | CsafJson)[];
  /** What provider-metadata.json points at; default 'rolie'. */
  layout?: CsafProviderLayout;
  /** Hash files written per document; default both, .sha512 first. */
  hashes?: readonly ('sha512' | 'sha256')[];
  /** Serve on this server instead of a new one (it is not closed by close()). */
  server?: StaticServer;
  /** Folder of the provider; default "/.well-known/csaf". */
  basePath?: string;
}

export interface PublishedCsafDocument {
  trackingId: string;
  /** Folder for its TLP label: "white", "green", "amber", "red" or "unlabeled". */
  folder: string;
  /** Path within the folder, as in changes.csv: "2022/bsi-2022-0001.json". */
  path: string;
  url: string;
  version: string;
  currentReleaseDate: string;
  /** The document as served (before any content tampering). */
  json: CsafJson;
  tamper: CsafDocumentTamper | null;
}

export interface CsafProvider {
  /** The provider-metadata.json URL. */
  readonly url: string;
  /** An aggregator.json that lists this provider (and whatever `aggregate()` added). */
  readonly aggregatorUrl: string;
  readonly origin: string;
  /** "127.0.0.1:PORT" for makeHttpGet({ allowedHosts }). */
  readonly host: string;
  readonly layout: CsafProviderLayout;
  /** The provider's armored public key and its fingerprint (upper-case hex). */
  readonly publicKey: string;
  readonly fingerprint: string;
  /** Another key's armored public part (what a wrong pin looks like). */
  otherPublicKey(): Promise<string>;
  readonly server: StaticServer;
  /** Paths requested so far. */
  readonly requests: string[];
  /** The requests for CSAF documents themselves (…/*.json other than metadata and feeds). */
  documentRequests(): string[];
  clearRequests(): void;
  documents(): PublishedCsafDocument[];
  document(trackingId: string): PublishedCsafDocument;
  /**
   * Publishes a document. Unless `keepDates`, it is re-dated to `releaseDate` (default now):
   * initial and current release date and every revision date, as a newly published document.
   */
  addDocument(doc: string | CsafJson, opts?: { releaseDate?: Date | string; keepDates?: boolean }): Promise<PublishedCsafDocument>;
  /** A new version: version bumped, a revision added, current_release_date = `releaseDate` (default now); optionally a new title or summary. */
  updateDocument(trackingId: string, opts?: { releaseDate?: Date | string; title?: string; summary?: string }): Promise<PublishedCsafDocument>;
  /** Removes a document from the listings and its files. */
  removeDocument(trackingId: string): Promise<void>;
  tamper(trackingId: string, kind: CsafDocumentTamper): Promise<void>;
  /** Serves the document's correct files again. */
  repair(trackingId: string): Promise<void>;
  tamperKey(kind: CsafKeyTamper): Promise<void>;
  repairKey(): Promise<void>;
  /** Lists further provider-metadata URLs in aggregator.json. */
  aggregate(metadataUrls: string[]): Promise<void>;
  close(): Promise<void>;
}

interface Held {
  json: CsafJson;
  folder: string;
  path: string;
  tamper: CsafDocumentTamper | null;
}

const FOLDERS = ['white', 'green', 'amber', 'red', 'unlabeled'] as const;
const folderOf = (doc: CsafJson): string => {
  const label = doc.document.distribution?.tlp?.label?.toLowerCase();
  return label && (FOLDERS as readonly string[]).includes(label) ? label : 'unlabeled';
};
const iso = (d: Date | string | undefined): string => (d === undefined ? new Date() : new Date(d)).toISOString();
const bumpVersion = (v: string): string => {
  if (/^\d+$/.test(v)) return String(Number(v) + 1);
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m ? `${m[1]}.${Number(m[2]) + 1}.0` : `${v}.1`;
};

let otherKeyPromise: Promise<{ privateKey: PrivateKey; publicKey: string; fingerprint: string }> | null = null;

async function makeKey(name: string): Promise<{ privateKey: PrivateKey; publicKey: string; fingerprint: string }> {
  const { privateKey: armored, publicKey } = await generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name, email: 'csaf@provider.example' }], format: 'armored' });
  const privateKey = await readPrivateKey({ armoredKey: armored });
  return { privateKey, publicKey, fingerprint: privateKey.getFingerprint().toUpperCase() };
}
/** A second key, shared by all providers of a test file (for wrong signatures and wrong pins). */
const otherKey = () => (otherKeyPromise ??= makeKey('Someone Else'));

async function detachedSignature(key: PrivateKey, bytes: Buffer): Promise<string> {
  const signature: unknown = await sign({ message: await createMessage({ binary: new Uint8Array(bytes) }), signingKeys: key, detached: true, format: 'armored' });
  if (typeof signature !== 'string') throw new Error('openpgp returned no armored signature');
  return signature;
}

export async function startCsafProvider(opts: StartCsafProviderOptions = {}): Promise<CsafProvider> {
  const server = opts.server ?? (await startStaticServer());
  const ownsServer = !opts.server;
  const base = (opts.basePath ?? '/.well-known/csaf').replace(/\/$/, '');
  const layout = opts.layout ?? 'rolie';
  const hashes = opts.hashes ?? ['sha512', 'sha256'];
  const key = await makeKey('Example CSAF Provider');
  const keyPath = `${base}/openpgp/${key.fingerprint}.asc`;
  const metadataPath = `${base}/provider-metadata.json`;
  const aggregatorPath = '/.well-known/csaf-aggregator/aggregator.json';
  const held = new Map<string, Held>();
  const servedPaths = new Set<string>();
  let keyTamper: CsafKeyTamper | null = null;
  let extraProviders: string[] = [];
  const publisher = { category: 'coordinator', name: 'Example Provider CERT', namespace: 'https://provider.example' };

  const docPath = (h: Held) => `${base}/${h.folder}/${h.path}`;
  const feedPath = (folder: string) => `${base}/${folder}/csaf-feed-tlp-${folder}.json`;
  const byNewest = (a: Held, b: Held) => Date.parse(b.json.document.tracking.current_release_date) - Date.parse(a.json.document.tracking.current_release_date);

  const serve = (path: string, r: StaticResponse | string | Buffer) => {
    server.set(path, r);
    servedPaths.add(path);
  };
  const unserve = (path: string) => {
    server.remove(path);
    servedPaths.delete(path);
  };

  /** Writes a document's own files (document, hashes, signature), honouring its tampering. */
  const publishFiles = async (h: Held) => {
    const p = docPath(h);
    for (const suffix of ['', '.sha512', '.sha256', '.asc']) unserve(p + suffix);
    const bytes = Buffer.from(`${JSON.stringify(h.json, null, 2)}\n`);
    const file = h.path.split('/').pop() ?? h.path;
    const served =
      h.tamper === 'content' ? Buffer.from(`${JSON.stringify({ ...h.json, document: { ...h.json.document, title: `${h.json.document.title} (altered)` } }, null, 2)}\n`) : bytes;
    serve(p, served);
    if (h.tamper !== 'missing-hash') {
      for (const algorithm of hashes) {
        const digested = h.tamper === 'hash' ? Buffer.concat([bytes, Buffer.from('tampered')]) : bytes;
        serve(`${p}.${algorithm}`, `${createHash(algorithm).update(digested).digest('hex')}  ${file}\n`);
      }
    }
    if (h.tamper !== 'missing-signature') serve(`${p}.asc`, await detachedSignature(h.tamper === 'signature' ? (await otherKey()).privateKey : key.privateKey, bytes));
  };

  /** Rewrites metadata, key, feeds, changes.csv and index.txt from the documents held. */
  const rebuild = async () => {
    const now = new Date().toISOString();
    const folders = [...new Set([...held.values()].map((h) => h.folder))].sort();
    const listedFingerprint = keyTamper === 'fingerprint' ? (await otherKey()).fingerprint : key.fingerprint;
    const metadata = {
      canonical_url: server.url(metadataPath),
      distributions:
        layout === 'rolie'
          ? [{ rolie: { feeds: folders.map((f) => ({ summary: `${f.toUpperCase()} advisories of ${publisher.name}.`, tlp_label: f.toUpperCase(), url: server.url(feedPath(f)) })) } }]
          : folders.map((f) => ({ directory_url: server.url(`${base}/${f}/`) })),
      last_updated: now,
      list_on_CSAF_aggregators: true,
      metadata_version: '2.0',
      mirror_on_CSAF_aggregators: true,
      public_openpgp_keys: [{ fingerprint: listedFingerprint, url: server.url(keyPath) }],
      publisher,
      role: 'csaf_trusted_provider',
    };
    serve(metadataPath, JSON.stringify(metadata, null, 2));
    serve(keyPath, keyTamper === 'other-key' ? (await otherKey()).publicKey : key.publicKey);
    serve(
      aggregatorPath,
      JSON.stringify(
        {
          aggregator: { category: 'lister', contact_details: 'lister@lister.example', issuing_authority: 'Test lister.', name: 'Example CSAF Lister', namespace: 'https://lister.example' },
          aggregator_version: '2.0',
          canonical_url: server.url(aggregatorPath),
          csaf_providers: [server.url(metadataPath), ...extraProviders].map((url) => ({ metadata: { last_updated: now, publisher, role: 'csaf_trusted_provider', url } })),
          last_updated: now,
        },
        null,
        2,
      ),
    );
    for (const f of FOLDERS) {
      unserve(feedPath(f));
      unserve(`${base}/${f}/changes.csv`);
      unserve(`${base}/${f}/index.txt`);
    }
    for (const f of folders) {
      const docs = [...held.values()].filter((h) => h.folder === f).sort(byNewest);
      const entry = (h: Held) => {
        const url = server.url(docPath(h));
        const t = h.json.document.tracking;
        return {
          id: t.id,
          title: h.json.document.title,
          link: [
            { rel: 'self', href: url },
            ...(h.tamper === 'missing-hash' ? [] : hashes.map((a) => ({ rel: 'hash', href: `${url}.${a}` }))),
            { rel: 'signature', href: `${url}.asc` },
          ],
          published: t.initial_release_date,
          updated: t.current_release_date,
          summary: { content: h.json.document.title },
          content: { type: 'application/json', src: url },
          format: { schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json', version: '2.0' },
        };
      };
      serve(
        feedPath(f),
        JSON.stringify(
          {
            feed: {
              id: `example-csaf-feed-tlp-${f}`,
              title: `Example CSAF feed (TLP:${f.toUpperCase()})`,
              link: [{ rel: 'self', href: server.url(feedPath(f)) }],
              category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
              updated: now,
              entry: docs.map(entry),
            },
          },
          null,
          2,
        ),
      );
      serve(`${base}/${f}/changes.csv`, docs.map((h) => `"${h.path}","${h.json.document.tracking.current_release_date}"`).join('\n') + (docs.length ? '\n' : ''));
      serve(`${base}/${f}/index.txt`, docs.map((h) => h.path).join('\n') + (docs.length ? '\n' : ''));
    }
  };

  const find = (trackingId: string): Held => {
    const h = held.get(trackingId);
    if (!h) throw new Error(`The test provider has no document ${trackingId}.`);
    return h;
  };
  const published = (h: Held): PublishedCsafDocument => ({
    trackingId: h.json.document.tracking.id,
    folder: h.folder,
    path: h.path,
    url: server.url(docPath(h)),
    version: h.json.document.tracking.version,
    currentReleaseDate: h.json.document.tracking.current_release_date,
    json: h.json,
    tamper: h.tamper,
  });
  const hold = async (input: string | CsafJson, dates: { releaseDate?: Date | string; keepDates?: boolean }) => {
    const json = typeof input === 'string' ? loadCsafExample(input) : structuredClone<CsafJson>(input);
    const t = json.document.tracking;
    if (!dates.keepDates) {
      const when = iso(dates.releaseDate);
      t.initial_release_date = when;
      t.current_release_date = when;
      for (const r of t.revision_history) r.date = when;
    }
    const folder = folderOf(json);
    const h: Held = { json, folder, path: `${new Date(t.initial_release_date).getUTCFullYear()}/${csafFilename(t.id)}`, tamper: null };
    held.set(t.id, h);
    await publishFiles(h);
    return h;
  };

  for (const d of opts.documents ?? SAMPLE_CSAF_DOCUMENTS) await hold(d, { keepDates: true });
  await rebuild();

  const provider: CsafProvider = {
    url: server.url(metadataPath),
    aggregatorUrl: server.url(aggregatorPath),
    origin: server.origin,
    host: server.host,
    layout,
    publicKey: key.publicKey,
    fingerprint: key.fingerprint,
    otherPublicKey: async () => (await otherKey()).publicKey,
    server,
    requests: server.requests,
    documentRequests: () =>
      server.requests.filter((p) => p.startsWith(`${base}/`) && p.endsWith('.json') && p !== metadataPath && !/\/csaf-feed-tlp-[a-z]+\.json$/.test(p)),
    clearRequests: () => server.clearRequests(),
    documents: () => [...held.values()].sort(byNewest).map(published),
    document: (id) => published(find(id)),
    addDocument: async (doc, o = {}) => {
      const h = await hold(doc, o);
      await rebuild();
      return published(h);
    },
    updateDocument: async (id, o = {}) => {
      const h = find(id);
      const t = h.json.document.tracking;
      const when = iso(o.releaseDate);
      t.version = bumpVersion(t.version);
      t.revision_history.push({ date: when, number: t.version, summary: 'Updated for the intake tests.' });
      t.current_release_date = when;
      if (o.title !== undefined) h.json.document.title = o.title;
      if (o.summary !== undefined) {
        const notes = (h.json.document.notes ??= []);
        const summary = notes.find((n) => n.category === 'summary');
        if (summary) summary.text = o.summary;
        else notes.unshift({ category: 'summary', title: 'Summary', text: o.summary });
      }
      await publishFiles(h);
      await rebuild();
      return published(h);
    },
    removeDocument: async (id) => {
      const h = find(id);
      for (const suffix of ['', '.sha512', '.sha256', '.asc']) unserve(docPath(h) + suffix);
      held.delete(id);
      await rebuild();
    },
    tamper: async (id, kind) => {
      const h = find(id);
      h.tamper = kind;
      await publishFiles(h);
      await rebuild();
    },
    repair: async (id) => {
      const h = find(id);
      h.tamper = null;
      await publishFiles(h);
      await rebuild();
    },
    tamperKey: async (kind) => {
      keyTamper = kind;
      await rebuild();
    },
    repairKey: async () => {
      keyTamper = null;
      await rebuild();
    },
    aggregate: async (urls) => {
      extraProviders = [...urls];
      await rebuild();
    },
    close: async () => {
      if (ownsServer) await server.close();
      else for (const p of servedPaths) server.remove(p);
    },
  };
  return provider;
}
