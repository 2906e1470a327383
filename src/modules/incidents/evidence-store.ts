import { createCipheriv, createDecipheriv, createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline as pipelineCb, Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, badRequest } from '#server/errors.ts';

/**
 * Evidence files on disk. Each file is stored under a random name (64 hex digits) in the evidence
 * folder, never under the uploader's file name, so nothing about the file can be guessed from the
 * folder and no name can escape it. With a key, a file is AES-256-GCM encrypted as one message:
 *
 *   MAGIC (8 bytes) | IV (12 bytes, random per file) | ciphertext | auth tag (16 bytes)
 *
 * The header is authenticated data too, so a changed header fails the tag like a changed byte does.
 * The SHA-256 is always of the plaintext: the hash the chain of custody records is the hash of what
 * was handed in, whether or not it is encrypted at rest.
 */
const MAGIC = Buffer.from('WPEVGCM1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + IV_BYTES;
const STORAGE_NAME = /^[0-9a-f]{64}$/;

export interface StoreOptions {
  dir: string;
  maxBytes: number;
  key: Buffer | undefined;
}

export interface StoredFile {
  storageName: string;
  sizeBytes: number;
  sha256: string;
  encrypted: boolean;
}

export const tooLarge = (maxBytes: number): AppError =>
  new AppError(
    'payload_too_large',
    'evidence_too_large',
    `The file is larger than the ${formatBytes(maxBytes)} an evidence upload may be. Split it or ask the CERT to raise INCIDENT_EVIDENCE_MAX_BYTES.`,
    { maxBytes },
  );

export const emptyFile = (): AppError =>
  badRequest('evidence_empty', 'The file is empty; send its bytes as the request body (application/octet-stream).', { field: 'body' });

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}

function filePath(dir: string, storageName: string): string {
  // The name comes from our own database, but a path is only ever built from a name of our own form.
  if (!STORAGE_NAME.test(storageName)) throw new Error(`not an evidence storage name: ${storageName}`);
  return path.join(dir, storageName);
}

/** Counts and hashes the plaintext as it passes, and stops the upload the moment it exceeds the limit. */
class Meter extends Transform {
  bytes = 0;
  readonly hash: Hash = createHash('sha256');
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(tooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

/** Writes the header first and the auth tag last around the ciphertext (the format above). */
class Encryptor extends Transform {
  private readonly cipher;
  constructor(key: Buffer) {
    super();
    const iv = randomBytes(IV_BYTES);
    const header = Buffer.concat([MAGIC, iv]);
    this.cipher = createCipheriv('aes-256-gcm', key, iv);
    this.cipher.setAAD(header);
    this.push(header);
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, this.cipher.update(chunk));
  }
  override _flush(callback: TransformCallback): void {
    this.push(this.cipher.final());
    callback(null, this.cipher.getAuthTag());
  }
}

/**
 * Writes to a file handle we keep: after the last write we fsync and close it ourselves (a stream
 * of fs would close the file without syncing it, and holds the handle open until it does).
 */
function handleWriter(handle: FileHandle): Writable {
  const writeAll = async (chunk: Buffer) => {
    // A write may take fewer bytes than offered; the rest follows until the chunk is on its way.
    for (let offset = 0; offset < chunk.length;) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
  };
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writeAll(chunk).then(() => callback(), callback);
    },
  });
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename (or unlink) itself durable. Not every platform can open a folder for fsync.
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/**
 * Streams `source` into the evidence folder: a temporary file first, hashed (and encrypted) while it
 * arrives, flushed to disk, then renamed to its random name, so a crash never leaves a half file
 * under a real name and the database row (written after this returns) never points at unsynced data.
 * Nothing is buffered beyond the streams' own chunks. On any failure the temporary file is removed.
 *
 * The source is piped, not handed to `pipeline`, so a refused upload does not destroy the request:
 * the caller can still answer 413 (and should close the connection).
 */
export async function storeEvidence(source: Readable, opts: StoreOptions): Promise<StoredFile> {
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const storageName = randomBytes(32).toString('hex');
  const tmp = path.join(opts.dir, `.upload-${randomBytes(16).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  const meter = new Meter(opts.maxBytes);
  const out = handleWriter(handle);
  const stages = opts.key ? [meter, new Encryptor(opts.key), out] : [meter, out];
  const onSourceError = (err: Error) => meter.destroy(err);
  const onSourceClose = () => {
    if (!source.readableEnded) meter.destroy(badRequest('evidence_upload_aborted', 'The upload stopped before the whole file arrived; send it again.'));
  };
  let closed = false;
  try {
    const done = pipeline(stages);
    source.on('error', onSourceError);
    source.on('close', onSourceClose);
    source.pipe(meter);
    await done;
    await handle.sync();
    await handle.close();
    closed = true;
    if (meter.bytes === 0) throw emptyFile();
    await rename(tmp, path.join(opts.dir, storageName));
    await fsyncDir(opts.dir);
    return { storageName, sizeBytes: meter.bytes, sha256: meter.hash.digest('hex'), encrypted: Boolean(opts.key) };
  } catch (err) {
    source.unpipe(meter);
    source.pause();
    if (!closed) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  } finally {
    source.off('error', onSourceError);
    source.off('close', onSourceClose);
  }
}

const TEMP_NAME = /^\.upload-[0-9a-f]{32}\.tmp$/;

/**
 * Removes the temporary files of uploads that never finished: a process killed mid-upload cannot
 * clean up after itself. Looks in the evidence folder and its subfolders (the CVD and community
 * stores live there too); only our own temporary names older than `maxAgeMs` go, so an upload of
 * several gigabytes still running is left alone.
 */
export async function sweepAbandonedUploads(root: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  const sweep = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 1) await sweep(full, depth + 1);
      else if (e.isFile() && TEMP_NAME.test(e.name)) {
        const info = await stat(full).catch(() => null);
        if (info && now - info.mtimeMs > maxAgeMs) {
          await unlink(full).catch(() => undefined);
          removed++;
        }
      }
    }
  };
  await sweep(root, 0);
  return removed;
}

/** Removes a stored file for good (an approved deletion). A file already gone is not an error. */
export async function removeEvidenceFile(dir: string, storageName: string): Promise<void> {
  try {
    await unlink(filePath(dir, storageName));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fsyncDir(dir);
}

export interface StoredRef {
  storageName: string;
  encrypted: boolean;
  sizeBytes: number;
}

export const fileMissing = (): AppError =>
  new AppError(
    'conflict',
    'evidence_file_missing',
    'The stored file of this evidence is missing from the evidence folder. Tell the administrator: it was removed outside Wachtpost.',
  );

export const integrityFailed = (): AppError =>
  new AppError(
    'conflict',
    'evidence_integrity_failed',
    'The stored file does not match its recorded SHA-256 or its encryption tag (altered on disk, or encrypted with another key). It was not delivered; tell the administrator.',
  );

const keyMissing = (): AppError =>
  new AppError('unavailable', 'evidence_key_missing', 'This evidence is encrypted at rest, and INCIDENT_EVIDENCE_KEY is not configured on this server.');

/** The plaintext of a stored file as a stream, its tag checked at the end (a wrong tag errors the stream). */
async function plaintextStages(dir: string, ref: StoredRef, key: Buffer | undefined): Promise<[Readable, ...Transform[]]> {
  const file = filePath(dir, ref.storageName);
  const size = await stat(file).then(
    (s) => s.size,
    (err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? fileMissing() : err;
    },
  );
  if (!ref.encrypted) return [createReadStream(file)];
  if (!key) throw keyMissing();
  if (size < HEADER_BYTES + TAG_BYTES) throw integrityFailed();
  const handle = await open(file, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw integrityFailed();
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(MAGIC.length));
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  // An empty ciphertext range (end < start) cannot happen: uploads of zero bytes are refused.
  return [createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }), decipher];
}

/**
 * Re-reads a stored file: the SHA-256 of its plaintext and whether the encryption tag held. A file
 * whose tag fails reports `intact: false` (its hash is then of bytes that must not be trusted).
 */
export async function hashStored(dir: string, ref: StoredRef, key: Buffer | undefined): Promise<{ sha256: string; intact: boolean }> {
  const stages = await plaintextStages(dir, ref, key);
  const hash = createHash('sha256');
  let bytes = 0;
  const sink = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      hash.update(chunk);
      callback();
    },
  });
  try {
    await pipeline([...stages, sink]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // The decipher's final() throws when the tag does not verify.
    if (ref.encrypted) return { sha256: hash.digest('hex'), intact: false };
    throw err;
  }
  return { sha256: hash.digest('hex'), intact: bytes === ref.sizeBytes };
}

/**
 * The plaintext as a stream for a download. The caller verifies the file first (`hashStored`), so
 * altered bytes are refused before the first byte leaves; this stream checks the hash and the tag
 * again as it goes and errors at the end if the file changed in between, which cuts the response
 * short rather than completing it.
 */
export async function openEvidence(dir: string, ref: StoredRef, key: Buffer | undefined, expectedSha256: string): Promise<Readable> {
  const stages = await plaintextStages(dir, ref, key);
  const hash = createHash('sha256');
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      callback(hash.digest('hex') === expectedSha256 ? null : integrityFailed());
    },
  });
  return pipelineCb([...stages, check], () => undefined) as Transform;
}
