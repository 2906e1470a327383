// The subscribers of the ZDN stream benchmark, in a process of their own so that parsing their
// messages does not slow the server under test. Reads one JSON line of settings on stdin
// ({url, subscribers: [{token, types, minConfidence}]}), opens every stream, prints "READY", then
// records each message's arrival time (performance.timeOrigin + now(), comparable across processes).
// A second stdin line lists what was written ([{value, type, confidence, committedAt, calledAt}]);
// the process answers with one JSON line: delivered, lost, and the delay percentiles.
import http from 'node:http';
import readline from 'node:readline';
import { performance } from 'node:perf_hooks';
import { percentile } from './measure.ts';
import { sseBlocks } from '../../test/helpers/sse.ts';

interface Subscriber {
  token: string;
  types: string[] | null;
  minConfidence: number;
}
interface Written {
  value: string;
  type: string;
  confidence: number;
  committedAt: number;
  calledAt: number;
}

const now = () => performance.timeOrigin + performance.now();
const lines = readline.createInterface({ input: process.stdin });
const iterator = lines[Symbol.asyncIterator]();
const settings = JSON.parse(((await iterator.next()).value as string | undefined) ?? '{}') as { url: string; subscribers: Subscriber[] };
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
// Per subscriber: arrival time and chunk, alternating.
const chunks = settings.subscribers.map((): (number | string)[] => []);

await Promise.all(
  settings.subscribers.map(
    (s, i) =>
      new Promise<void>((resolve, reject) => {
        const query = new URLSearchParams({ ...(s.types ? { types: s.types.join(',') } : {}), minConfidence: String(s.minConfidence) });
        const req = http.get(`${settings.url}/api/v1/zdn/stream?${query}`, { agent, headers: { authorization: `Bearer ${s.token}`, accept: 'text/event-stream' } }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`stream ${i}: HTTP ${res.statusCode}`));
          res.setEncoding('utf8');
          // Only the arrival is recorded while the stream runs (a time and the chunk); the messages are
          // parsed afterwards, so that this process's own parsing does not delay the next socket's
          // timestamp and the figure stays the server's delay.
          res.on('data', (chunk: string) => {
            chunks[i]!.push(now(), chunk);
            if (chunks[i]!.length === 2) resolve();
          });
        });
        req.on('error', reject);
      }),
  ),
);
console.log('READY');

const written = JSON.parse(((await iterator.next()).value as string | undefined) ?? '[]') as Written[];

// Per subscriber: value → arrival time of the chunk that completed its message.
let duplicates = 0;
const arrivals = chunks.map((list) => {
  const seen = new Map<string, number>();
  let at = 0;
  const blocks = sseBlocks((block) => {
    const data = block.split('\n').find((l) => l.startsWith('data: '));
    if (!data) return;
    const value = (JSON.parse(data.slice(6)) as { value: string }).value;
    if (seen.has(value)) duplicates++;
    else seen.set(value, at);
  });
  for (let k = 0; k < list.length; k += 2) {
    at = list[k] as number;
    blocks(list[k + 1] as string);
  }
  return seen;
});
const fromCommit: number[] = [];
const fromCall: number[] = [];
let lost = 0;
let delivered = 0;
settings.subscribers.forEach((s, i) => {
  const wanted = written.filter((w) => (!s.types || s.types.includes(w.type)) && w.confidence >= s.minConfidence);
  for (const w of wanted) {
    const at = arrivals[i]!.get(w.value);
    if (at === undefined) {
      lost++;
      continue;
    }
    delivered++;
    fromCommit.push(Math.max(0, at - w.committedAt));
    fromCall.push(at - w.calledAt);
  }
});
console.log(JSON.stringify({ delivered, lost, duplicates, p50_from_commit: percentile(fromCommit, 50), p90_from_commit: percentile(fromCommit, 90), p99_from_commit: percentile(fromCommit, 99), p99_from_call: percentile(fromCall, 99), max_from_call: percentile(fromCall, 100) }));
agent.destroy();
process.exit(0);
