import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Ctx } from '#server/context.ts';
import { ingestReport } from './report.service.ts';

/**
 * The watched folder: each report file dropped there is read once and moved to 'done/' (or 'failed/'
 * with a note of why). A file still being written (changed in the last few seconds) waits a tick.
 */
export async function scanInbox(ctx: Ctx, dir: string, settleMs = 5000): Promise<{ file: string; ok: boolean; detail: string }[]> {
  const done = path.join(dir, 'done');
  const failed = path.join(dir, 'failed');
  await mkdir(done, { recursive: true });
  await mkdir(failed, { recursive: true });
  const out: { file: string; ok: boolean; detail: string }[] = [];
  // A file a process was reading when it died goes back in the queue: the merge makes a second
  // reading of its first rows harmless, and the rest would otherwise never be read.
  for (const name of await readdir(dir)) {
    const claimed = /^\.(.+)\.(\d+)\.reading$/.exec(name);
    if (claimed && !processAlive(Number(claimed[2]))) await rename(path.join(dir, name), path.join(dir, claimed[1]!)).catch(() => undefined);
  }
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name);
    const info = await stat(file);
    if (Date.now() - info.mtimeMs < settleMs) continue;
    const format = /\.xml$/i.test(entry.name) ? 'nmap' : /\.csv$/i.test(entry.name) ? 'shadowserver' : null;
    if (!format) continue;
    // Claim the file first by moving it: a second process scanning at once finds it gone.
    const working = path.join(dir, `.${entry.name}.${process.pid}.reading`);
    try {
      await rename(file, working);
    } catch {
      continue;
    }
    try {
      const r = await ingestReport(ctx, { format, fileName: entry.name, content: createReadStream(working), via: 'folder' });
      await rename(working, path.join(done, entry.name));
      out.push({ file: entry.name, ok: true, detail: `${r.rowsTotal} rows, ${r.findingsNew} new findings` });
    } catch (err) {
      await rename(working, path.join(failed, entry.name));
      out.push({ file: entry.name, ok: false, detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}
