/**
 * Evidence and its chain of custody: streamed uploads hashed on arrival, random names on disk,
 * encryption at rest, downloads as attachments that refuse altered bytes, the four-eyes deletion,
 * and who sees what (the CERT, the affected hospital's room, another hospital).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { openEvidence } from '../../src/modules/incidents/evidence-store.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

interface World {
  t: TestApp;
  dir: string;
  caseId: string;
  analyst: Credentials;
  analyst2: Credentials;
  hospitalAdmin: Credentials;
  hospitalMember: Credentials;
  otherHospital: Credentials;
}

async function makeWorld(env: Record<string, string>): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wp-evidence-'));
  const t = await createTestApp({ INCIDENT_EVIDENCE_DIR: dir, ...env });
  const cert = await makeOrganisation(t, 'cert');
  const hospital = await makeOrganisation(t, 'participant', 'Ziekenhuis Oost');
  const other = await makeOrganisation(t, 'participant', 'Ziekenhuis West');
  const row = await t.system.db
    .insertInto('incident_cases')
    .values({ reference: `INC-2026-${randomBytes(2).toString('hex')}`, title: 'Ransomware on the imaging servers', intake: 'phone', report: '{}', custom_fields: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.system.db.insertInto('incident_case_organisations').values({ case_id: row.id, organisation_id: hospital.id }).execute();
  return {
    t,
    dir,
    caseId: row.id,
    analyst: await login(t, await makeUser(t, cert.id, 'cert-analyst')),
    analyst2: await login(t, await makeUser(t, cert.id, 'cert-analyst')),
    hospitalAdmin: await login(t, await makeUser(t, hospital.id, 'participant-admin')),
    hospitalMember: await login(t, await makeUser(t, hospital.id, 'participant-member')),
    otherHospital: await login(t, await makeUser(t, other.id, 'participant-admin')),
  };
}

async function closeWorld(w: World | undefined) {
  await w?.t.close();
  if (w) await rm(w.dir, { recursive: true, force: true });
}

function upload(w: World, as: Credentials, payload: Buffer | Readable | string, query: Record<string, string>, headers: Record<string, string> = {}, caseId = w.caseId): Promise<LightMyRequestResponse> {
  return w.t.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${caseId}/evidence?${new URLSearchParams(query).toString()}`,
    headers: { ...authHeaders(as), 'content-type': 'application/octet-stream', ...headers },
    payload,
  });
}

const download = (w: World, as: Credentials, evidenceId: string, reason = '') =>
  call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence/${evidenceId}/download${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`, as);

const storedFiles = async (w: World) => (await readdir(w.dir)).sort();
const storageName = async (w: World, id: string) =>
  (await w.t.system.db.selectFrom('incident_evidence').select('storage_name').where('id', '=', id).executeTakeFirstOrThrow()).storage_name;

describe('evidence without encryption at rest', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld({ INCIDENT_EVIDENCE_MAX_BYTES: String(MiB) });
  });
  afterAll(async () => closeWorld(w));

  const content = Buffer.from('Your files are encrypted. Contact us at evil@example.invalid\n'.repeat(100));
  const fileName = 'losgeld brief é.txt';
  let hospitalEvidence: string;

  it('stores a hospital upload hashed, under a random name in the evidence folder', async () => {
    const res = await upload(w, w.hospitalAdmin, content, { fileName: `C:\\Users\\it\\${fileName}`, description: 'The ransom note' });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json();
    hospitalEvidence = e.id;
    expect(e).toMatchObject({ fileName, description: 'The ransom note', sizeBytes: content.length, sha256: sha256(content), encrypted: false, shared: true, deletedAt: null });
    const name = await storageName(w, e.id);
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(await storedFiles(w)).toEqual([name]);
    expect(name).not.toContain('losgeld');
    expect(await readFile(path.join(w.dir, name))).toEqual(content);
  });

  it('downloads as an attachment with exact headers and records the download', async () => {
    const res = await download(w, w.analyst, hospitalEvidence, 'analyse the note');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload).toEqual(content);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="losgeld brief _.txt"; filename*=UTF-8''losgeld%20brief%20%C3%A9.txt`);
    expect(res.headers['x-evidence-sha256']).toBe(sha256(content));
    expect(res.headers['content-length']).toBe(String(content.length));
  });

  it('refuses empty, unnamed, misnamed and non-binary uploads with codes, leaving nothing on disk', async () => {
    const before = await storedFiles(w);
    const empty = await upload(w, w.hospitalAdmin, Buffer.alloc(0), { fileName: 'a.bin' });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'evidence_empty']);
    const emptyStream = await upload(w, w.hospitalAdmin, Readable.from([] as Buffer[]), { fileName: 'a.bin' });
    expect([emptyStream.statusCode, emptyStream.json().error.code]).toEqual([400, 'evidence_empty']);
    const unnamed = await upload(w, w.hospitalAdmin, Buffer.from('x'), {});
    expect([unnamed.statusCode, unnamed.json().error.code]).toEqual([400, 'validation_failed']);
    const dots = await upload(w, w.hospitalAdmin, Buffer.from('x'), { fileName: 'evil/..' });
    expect([dots.statusCode, dots.json().error.code]).toEqual([400, 'evidence_file_name']);
    const json = await call(w.t, 'POST', `/api/v1/incidents/${w.caseId}/evidence?fileName=a.json`, w.hospitalAdmin, { a: 1 });
    expect([json.statusCode, json.json().error.code]).toEqual([415, 'evidence_media_type']);
    const badRequest = await upload(w, w.hospitalAdmin, Buffer.from('x'), { fileName: 'a.bin', requestId: '00000000-0000-4000-8000-000000000000' });
    expect([badRequest.statusCode, badRequest.json().error.code]).toEqual([400, 'evidence_request_unknown']);
    expect(await storedFiles(w)).toEqual(before);
  });

  it('stops an upload over the size limit with 413 and removes the partial file', async () => {
    const before = await storedFiles(w);
    const declared = await upload(w, w.hospitalAdmin, Buffer.alloc(2 * MiB, 1), { fileName: 'big.bin' });
    expect([declared.statusCode, declared.json().error.code]).toEqual([413, 'evidence_too_large']);
    // Without a Content-Length the limit is enforced while streaming.
    const chunks = Array.from({ length: 32 }, () => Buffer.alloc(64 * 1024, 2));
    const streamed = await upload(w, w.hospitalAdmin, Readable.from(chunks), { fileName: 'big.bin' });
    expect([streamed.statusCode, streamed.json().error.code]).toEqual([413, 'evidence_too_large']);
    // The rest of a refused upload is not read: the connection closes after the answer.
    expect(streamed.headers.connection).toBe('close');
    expect(await storedFiles(w)).toEqual(before);
  });

  it('streams over a real connection, and answers 413 to an oversized upload without reading it all', async () => {
    const address = await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    const send = (bytes: number) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${address}/api/v1/incidents/${w.caseId}/evidence?fileName=net.bin`, { method: 'POST', headers: { ...authHeaders(w.hospitalAdmin), 'content-type': 'application/octet-stream' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        // Once the server has answered and closed, further writes may fail; only an error before the answer counts.
        req.on('error', reject);
        Readable.from(Array.from({ length: bytes / (64 * 1024) }, () => Buffer.alloc(64 * 1024, 7))).pipe(req);
      });
    const ok = await send(512 * 1024);
    expect(ok.status, ok.body).toBe(201);
    expect(JSON.parse(ok.body).sha256).toBe(sha256(Buffer.alloc(512 * 1024, 7)));
    const before = await storedFiles(w);
    const big = await send(8 * MiB);
    expect(big.status, big.body).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe('evidence_too_large');
    expect(await storedFiles(w)).toEqual(before);
  });

  it('lets the room see shared and its own evidence, never CERT-only evidence or the custody log', async () => {
    const internal = await upload(w, w.analyst, Buffer.from('internal analysis'), { fileName: 'analysis.md', shared: 'false' });
    expect(internal.statusCode, internal.body).toBe(201);
    expect(internal.json().shared).toBe(false);
    const advice = await upload(w, w.analyst, Buffer.from('cleanup script'), { fileName: 'cleanup.ps1', shared: 'true' });
    const certList = (await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence`, w.analyst)).json().map((e: { fileName: string }) => e.fileName);
    expect(certList).toEqual(expect.arrayContaining([fileName, 'analysis.md', 'cleanup.ps1']));
    const room = await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence`, w.hospitalMember);
    expect(room.statusCode).toBe(200);
    const roomNames = room.json().map((e: { fileName: string }) => e.fileName);
    expect(roomNames).toContain(fileName);
    expect(roomNames).toContain('cleanup.ps1');
    expect(roomNames).not.toContain('analysis.md');
    expect((await download(w, w.hospitalMember, internal.json().id)).statusCode).toBe(404);
    expect((await download(w, w.hospitalMember, advice.json().id)).statusCode).toBe(200);
    const custody = await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/custody`, w.hospitalAdmin);
    expect(custody.statusCode).toBe(403);
    const verify = await call(w.t, 'POST', `/api/v1/incidents/${w.caseId}/evidence/${hospitalEvidence}/verify`, w.hospitalAdmin, {});
    expect(verify.statusCode).toBe(403);
  });

  it('answers another hospital 404 for the list, an upload and a download', async () => {
    const before = await storedFiles(w);
    const list = await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence`, w.otherHospital);
    expect([list.statusCode, list.json().error.code]).toEqual([404, 'case_not_found']);
    const up = await upload(w, w.otherHospital, Buffer.from('hello'), { fileName: 'x.txt' });
    expect([up.statusCode, up.json().error.code]).toEqual([404, 'case_not_found']);
    expect((await download(w, w.otherHospital, hospitalEvidence)).statusCode).toBe(404);
    expect((await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence-requests`, w.otherHospital)).statusCode).toBe(404);
    expect(await storedFiles(w)).toEqual(before);
  });

  it('fulfils an evidence request the CERT made with the room’s upload', async () => {
    const asked = await call(w.t, 'POST', `/api/v1/incidents/${w.caseId}/evidence-requests`, w.analyst, { description: 'A memory image of one affected server' });
    expect(asked.statusCode, asked.body).toBe(201);
    expect((await call(w.t, 'POST', `/api/v1/incidents/${w.caseId}/evidence-requests`, w.hospitalAdmin, { description: 'We want this' })).statusCode).toBe(403);
    const roomView = await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence-requests`, w.hospitalMember);
    expect(roomView.json()).toEqual([expect.objectContaining({ id: asked.json().id, fulfilledAt: null })]);
    const res = await upload(w, w.hospitalMember, Buffer.from('MDMP memory image'), { fileName: 'srv01.dmp', requestId: asked.json().id, shared: 'false' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ requestId: asked.json().id, shared: true });
    const after = await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence-requests`, w.analyst);
    expect(after.json()[0].fulfilledAt).not.toBeNull();
  });

  it('hands over, needs a second analyst to delete, and keeps the custody log with the case', async () => {
    const base = `/api/v1/incidents/${w.caseId}/evidence/${hospitalEvidence}`;
    const handover = await call(w.t, 'POST', `${base}/handover`, w.analyst, { to: 'Politie, Team High Tech Crime', reason: 'Aangifte van de ziekenhuisdirectie' });
    expect(handover.statusCode, handover.body).toBe(201);
    expect(handover.json()).toMatchObject({ action: 'handover', details: { to: 'Politie, Team High Tech Crime' }, sha256: sha256(content) });
    expect((await call(w.t, 'POST', `${base}/handover`, w.hospitalAdmin, { to: 'x', reason: 'because' })).statusCode).toBe(403);

    const asked = await call(w.t, 'POST', `${base}/deletion`, w.analyst, { reason: 'Contains patient data we may not keep' });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().deletionRequested).toMatchObject({ reason: 'Contains patient data we may not keep' });
    expect((await call(w.t, 'POST', `${base}/deletion`, w.analyst2, { reason: 'twice' })).json().error.code).toBe('deletion_already_requested');
    // The room does not see the CERT's deletion workflow.
    const roomItem = (await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence`, w.hospitalAdmin)).json().find((e: { id: string }) => e.id === hospitalEvidence);
    expect(roomItem.deletionRequested).toBeNull();

    const same = await call(w.t, 'POST', `${base}/deletion/approve`, w.analyst, { reason: 'ok' });
    expect([same.statusCode, same.json().error.code]).toEqual([409, 'second_analyst_required']);
    const file = path.join(w.dir, await storageName(w, hospitalEvidence));
    await expect(readFile(file)).resolves.toBeDefined();
    const approved = await call(w.t, 'POST', `${base}/deletion/approve`, w.analyst2, { reason: 'Agreed with the DPO' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().deletedAt).not.toBeNull();
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);

    const gone = await download(w, w.analyst, hospitalEvidence);
    expect([gone.statusCode, gone.json().error.code]).toEqual([410, 'evidence_deleted']);
    expect((await download(w, w.hospitalAdmin, hospitalEvidence)).statusCode).toBe(404);
    const certItem = (await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence`, w.analyst)).json().find((e: { id: string }) => e.id === hospitalEvidence);
    expect(certItem.deletedAt).not.toBeNull();
    const roomIds = (await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/evidence`, w.hospitalAdmin)).json().map((e: { id: string }) => e.id);
    expect(roomIds).not.toContain(hospitalEvidence);

    const log = await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/custody`, w.analyst);
    expect(log.statusCode, log.body).toBe(200);
    const steps = log.json().filter((s: { evidenceId: string }) => s.evidenceId === hospitalEvidence);
    expect(steps.map((s: { action: string }) => s.action)).toEqual(['upload', 'download', 'handover', 'deletion_requested', 'deletion_approved']);
    for (const s of steps) {
      expect(s.sha256).toBe(sha256(content));
      expect(s.fileName).toBe(fileName);
      expect(s.actor).toMatch(/@test\.example \(/);
    }
    expect(steps[0].actor).toContain('Ziekenhuis Oost');
    expect(steps[1].reason).toBe('analyse the note');
    expect(steps[2].reason).toBe('Aangifte van de ziekenhuisdirectie');
    expect(steps[3].reason).toBe('Contains patient data we may not keep');
    expect(steps[4].reason).toBe('Agreed with the DPO');
    expect(steps[4].actor).not.toBe(steps[3].actor);
    const ids = log.json().map((s: { id: string }) => Number(s.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const csv = await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/custody?format=csv`, w.analyst);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="custody-INC-2026-[0-9a-f]{4}\.csv"/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,evidence_id,file_name,action,actor,reason,sha256,details');
    expect(lines).toHaveLength(log.json().length + 1);
    expect(lines.find((l) => l.includes(',handover,'))).toContain('Politie, Team High Tech Crime');
  });

  it('refuses a deletion request, and only requested deletions can be decided', async () => {
    const e = (await upload(w, w.analyst, Buffer.from('keep me'), { fileName: 'keep.txt' })).json();
    const base = `/api/v1/incidents/${w.caseId}/evidence/${e.id}`;
    expect((await call(w.t, 'POST', `${base}/deletion/approve`, w.analyst2, {})).json().error.code).toBe('deletion_not_requested');
    await call(w.t, 'POST', `${base}/deletion`, w.analyst, { reason: 'Not needed any more' });
    const refused = await call(w.t, 'POST', `${base}/deletion/refuse`, w.analyst2, { reason: 'Still needed for the police' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json().deletionRequested).toBeNull();
    const steps = (await call(w.t, 'GET', `/api/v1/incidents/${w.caseId}/custody`, w.analyst)).json().filter((s: { evidenceId: string }) => s.evidenceId === e.id);
    expect(steps.map((s: { action: string }) => s.action)).toEqual(['upload', 'deletion_requested', 'deletion_refused']);
    expect(await storedFiles(w)).toContain(await storageName(w, e.id));
  });

  it('documents every evidence route in the OpenAPI document', async () => {
    const res = await call(w.t, 'GET', '/api/openapi.json', null);
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths as object);
    for (const p of ['evidence', 'evidence/{childId}/download', 'evidence/{childId}/verify', 'evidence/{childId}/handover', 'evidence/{childId}/deletion', 'evidence/{childId}/deletion/approve', 'evidence/{childId}/deletion/refuse', 'custody', 'evidence-requests']) {
      expect(paths).toContain(`/api/v1/incidents/{id}/${p}`);
    }
  });

  it('verifies the stored file and refuses to deliver it once altered on disk', async () => {
    const body = Buffer.from('original log lines\n'.repeat(50));
    const e = (await upload(w, w.analyst, body, { fileName: 'firewall.log' })).json();
    const url = `/api/v1/incidents/${w.caseId}/evidence/${e.id}/verify`;
    expect((await call(w.t, 'POST', url, w.analyst, {})).json()).toEqual({ sha256: sha256(body), matches: true });
    const file = path.join(w.dir, await storageName(w, e.id));
    const altered = Buffer.from(body);
    altered[3] = 0x58;
    await writeFile(file, altered);
    expect((await call(w.t, 'POST', url, w.analyst, {})).json()).toEqual({ sha256: sha256(altered), matches: false });
    const res = await download(w, w.analyst, e.id);
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'evidence_integrity_failed']);
    await rm(file);
    expect((await call(w.t, 'POST', url, w.analyst, {})).json()).toEqual({ sha256: null, matches: false });
    expect((await download(w, w.analyst, e.id)).json().error.code).toBe('evidence_file_missing');
  });
});

describe('evidence encrypted at rest', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld({ INCIDENT_EVIDENCE_KEY: randomBytes(32).toString('base64'), INCIDENT_EVIDENCE_MAX_BYTES: String(512 * MiB) });
  });
  afterAll(async () => closeWorld(w));

  it('stores ciphertext on disk and decrypts on download', async () => {
    const plain = Buffer.from('Patient list export, do not share.\n'.repeat(200));
    const res = await upload(w, w.hospitalAdmin, plain, { fileName: 'export.csv' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ encrypted: true, sha256: sha256(plain), sizeBytes: plain.length });
    const onDisk = await readFile(path.join(w.dir, await storageName(w, res.json().id)));
    expect(onDisk.length).toBe(plain.length + 8 + 12 + 16);
    expect(onDisk.includes(Buffer.from('Patient list'))).toBe(false);
    const got = await download(w, w.analyst, res.json().id);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload).toEqual(plain);
    expect(got.headers['x-evidence-sha256']).toBe(sha256(plain));
  });

  it('fails a download of a tampered ciphertext instead of delivering altered bytes', async () => {
    const plain = Buffer.from('A'.repeat(10_000));
    const e = (await upload(w, w.hospitalAdmin, plain, { fileName: 'a.txt' })).json();
    const file = path.join(w.dir, await storageName(w, e.id));
    const bytes = await readFile(file);
    bytes[5000] = (bytes[5000] ?? 0) ^ 0x01;
    await writeFile(file, bytes);
    const res = await download(w, w.analyst, e.id);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().error.code).toBe('evidence_integrity_failed');
    expect(res.rawPayload.includes(Buffer.from('AAAA'))).toBe(false);
    const verify = await call(w.t, 'POST', `/api/v1/incidents/${w.caseId}/evidence/${e.id}/verify`, w.analyst, {});
    expect(verify.json().matches).toBe(false);
  });

  it('errors the download stream itself when the file changes after it was verified', async () => {
    const plain = Buffer.from('B'.repeat(100_000));
    const e = (await upload(w, w.hospitalAdmin, plain, { fileName: 'b.txt' })).json();
    const name = await storageName(w, e.id);
    const ref = { storageName: name, encrypted: true, sizeBytes: plain.length };
    const key = w.t.services.config.incidents.evidenceKey;
    const file = path.join(w.dir, name);
    const bytes = await readFile(file);
    bytes[50_000] = (bytes[50_000] ?? 0) ^ 0x80;
    await writeFile(file, bytes);
    const stream = await openEvidence(w.dir, ref, key, e.sha256);
    await expect(buffer(stream)).rejects.toThrow(/authenticate|integrity|SHA-256/i);
  });

  it('streams a 128 MiB upload to disk without holding it in memory', async () => {
    const size = 128 * MiB;
    const chunk = 256 * 1024;
    const expected = createHash('sha256');
    let sent = 0;
    // Generated as it is read: the test itself never holds the file either.
    const source = new Readable({
      read() {
        if (sent >= size) return void this.push(null);
        const b = Buffer.alloc(chunk, sent / chunk);
        b.writeUInt32BE(sent, 0);
        expected.update(b);
        sent += chunk;
        this.push(b);
      },
    });
    const base = process.memoryUsage().arrayBuffers;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    const res = await upload(w, w.hospitalAdmin, source, { fileName: 'disk.img' });
    clearInterval(sampler);
    expect(res.statusCode, res.body).toBe(201);
    const digest = expected.digest('hex');
    expect(res.json()).toMatchObject({ sizeBytes: size, sha256: digest, encrypted: true });
    // Loose on purpose: freed chunks wait for the garbage collector (V8 collects after some 64 MiB of
    // them), so the peak says little below that; buffering the upload would need the whole file.
    expect(peak - base).toBeLessThan(size * 0.75);
    const got = await download(w, w.analyst, res.json().id);
    expect(got.statusCode).toBe(200);
    expect(sha256(got.rawPayload)).toBe(digest);
  });
});
