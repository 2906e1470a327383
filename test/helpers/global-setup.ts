import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * Creating an embedded database (initdb in WebAssembly) takes seconds; a migrated one is made once
 * per migration set and every test file starts from a copy of it.
 */
export default async function setup(project: TestProject): Promise<void> {
  const dir = new URL('../../src/db/migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const f of (await readdir(dir)).sort()) hash.update(f).update(await readFile(new URL(f, dir)));
  const file = path.join(os.tmpdir(), `wachtpost-test-template-${hash.digest('hex').slice(0, 16)}.tar.gz`);
  if (!existsSync(file)) {
    const db = await openDatabase({});
    await migrate(db);
    const blob = await db.dump!();
    await writeFile(`${file}.tmp-${process.pid}`, Buffer.from(await blob.arrayBuffer()));
    await db.close();
    const { rename } = await import('node:fs/promises');
    await rename(`${file}.tmp-${process.pid}`, file);
  }
  project.provide('pgliteTemplate', file);
}
