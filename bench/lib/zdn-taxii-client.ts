// The TAXII client of the ZDN benchmark, in a process of its own, as a participant's TAXII client
// is: parsing a thousand objects a page must not run on the server's thread, which would count the
// client's work as the server's (the COPY baseline's psql is a process of its own too).
// Arguments: the objects URL, the bearer token, the page size. Pulls every page, one after the
// other, and prints one JSON line: objects, pageMs (one per page), seconds.
import { performance } from 'node:perf_hooks';

const [url, token, page] = process.argv.slice(2);
if (!url || !token || !page) throw new Error('usage: zdn-taxii-client.ts OBJECTS_URL TOKEN PAGE_SIZE');
const headers = { accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${token}` };
// One request to the collection first, untimed: it pays for this process's own start (the HTTP
// client's first connection and compilation), which is not the server's page latency.
const warm = await fetch(url.replace(/objects\/$/, ''), { headers });
if (warm.status !== 200) throw new Error(`TAXII collection: HTTP ${warm.status} ${await warm.text()}`);
await warm.arrayBuffer();
const pageMs: number[] = [];
let objects = 0;
let next: string | undefined;
const t0 = performance.now();
do {
  const started = performance.now();
  const res = await fetch(`${url}?limit=${page}${next ? `&next=${encodeURIComponent(next)}` : ''}`, { headers });
  if (res.status !== 200) throw new Error(`TAXII page: HTTP ${res.status} ${await res.text()}`);
  const envelope = (await res.json()) as { more: boolean; next?: string; objects?: unknown[] };
  pageMs.push(performance.now() - started);
  objects += envelope.objects?.length ?? 0;
  next = envelope.more ? envelope.next : undefined;
} while (next);
console.log(JSON.stringify({ objects, pageMs, seconds: (performance.now() - t0) / 1000 }));
