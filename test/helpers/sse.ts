import http from 'node:http';

export interface SseMessage {
  id: string;
  event: string;
  data: string;
}

export interface StreamClient {
  /** The next message (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<SseMessage>;
  received(): SseMessage[];
  /** Resolves when the server ends the stream (rejects after `timeoutMs`). */
  ended(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Splits a server-sent event stream into its blocks (an event or a comment), chunk by chunk. */
export function sseBlocks(onBlock: (block: string) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      onBlock(block);
    }
  };
}

/** A server-sent events client over plain HTTP, as a sensor or a browser would connect. */
export function openStream(url: string, headers: Record<string, string>): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const all: SseMessage[] = [];
    const queue: SseMessage[] = [];
    let waiter: ((m: SseMessage) => void) | null = null;
    let finished = false;
    const onEnd: (() => void)[] = [];
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(new Error(`stream ${res.statusCode}: ${body}`)));
        return;
      }
      res.setEncoding('utf8');
      res.on('end', () => {
        finished = true;
        for (const f of onEnd) f();
      });
      res.on(
        'data',
        sseBlocks((block) => {
          const m: SseMessage = { id: '', event: 'message', data: '' };
          let isMessage = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) m.id = line.slice(4);
            else if (line.startsWith('event: ')) m.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              m.data += line.slice(6);
              isMessage = true;
            }
          }
          if (!isMessage) return;
          all.push(m);
          if (waiter) {
            const w = waiter;
            waiter = null;
            w(m);
          } else queue.push(m);
        }),
      );
      resolve({
        next(timeoutMs = 5000) {
          const queued = queue.shift();
          if (queued) return Promise.resolve(queued);
          return new Promise((res2, rej2) => {
            const timer = setTimeout(() => {
              waiter = null;
              rej2(new Error(`no stream message within ${timeoutMs} ms`));
            }, timeoutMs);
            waiter = (m) => {
              clearTimeout(timer);
              res2(m);
            };
          });
        },
        received: () => [...all],
        ended(timeoutMs = 5000) {
          if (finished) return Promise.resolve();
          return new Promise((res2, rej2) => {
            const timer = setTimeout(() => rej2(new Error(`the stream did not end within ${timeoutMs} ms`)), timeoutMs);
            onEnd.push(() => {
              clearTimeout(timer);
              res2();
            });
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => reject(err));
  });
}
