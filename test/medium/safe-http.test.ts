import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseTooLargeError, safeGet } from '../../src/lib/safe-http.ts';

/**
 * The size limit of safeGet when the server announces no length and the whole over-limit body (and
 * its end) arrives in one read: it must fail, not hand back a cut body, and leave the process standing.
 */
describe('safeGet size limit', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      // No content-length: chunked, one write, then the end.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(req.url === '/small' ? 100 : 5000));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a body over the limit that arrives in one read, again and again on the same agent', async () => {
    const opts = { allowedHosts: [new URL(base).host], maxBytes: 1000 };
    for (let i = 0; i < 5; i++) await expect(safeGet(`${base}/big`, opts)).rejects.toBeInstanceOf(ResponseTooLargeError);
    const small = await safeGet(`${base}/small`, opts);
    expect(small.body.length).toBe(100);
  });
});
