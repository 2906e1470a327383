import WebSocket from 'ws';

export interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A chat socket as a browser holds it: frames received, a way to wait for one, send, close. */
export interface ChatClient {
  ws: WebSocket;
  frames: Frame[];
  closed: Promise<{ code: number; reason: string }>;
  waitFor(pred: (f: Frame) => boolean, ms?: number): Promise<Frame>;
  send(frame: unknown): void;
  close(): void;
}

/** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
export function openChat(url: string, headers: Record<string, string>): Promise<ChatClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const frames: Frame[] = [];
    const waiters = new Set<() => void>();
    let closedResolve!: (v: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((r) => (closedResolve = r));
    ws.on('message', (data) => {
      frames.push(
        JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8')) as Frame,
      );
      for (const w of [...waiters]) w();
    });
    ws.on('close', (code, reason) => closedResolve({ code, reason: reason.toString() }));
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        // With this listener, ending the refused request is ours to do (ws's rule).
        req.destroy();
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body }));
      });
    });
    ws.on('error', (err) => reject(err));
    ws.on('open', () =>
      resolve({
        ws,
        frames,
        closed,
        send: (frame) => ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame)),
        close: () => ws.close(),
        waitFor(pred, ms = 5000) {
          return new Promise((ok, fail) => {
            const check = () => {
              const hit = frames.find(pred);
              if (!hit) return;
              clearTimeout(timer);
              waiters.delete(check);
              ok(hit);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching frame in ${ms} ms; got ${JSON.stringify(frames).slice(0, 2000)}`));
            }, ms);
            waiters.add(check);
            check();
          });
        },
      }),
    );
  });
}
