import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The public test data sets (OASIS CSAF corpus and schemas, …) live beside the repository in
 * ../shared/testdata, not in it. WACHTPOST_TESTDATA_DIR points elsewhere; a clone in another folder
 * finds the workspace copy. Absent data skips the tests that need it, except under CI=true.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const CANDIDATES = [process.env.WACHTPOST_TESTDATA_DIR, path.resolve(ROOT, '../shared/testdata'), '/work/shared/testdata'].filter((p): p is string => Boolean(p));

export function testdataDir(): string | null {
  const found = CANDIDATES.find((p) => existsSync(path.join(p, 'csaf-2.0'))) ?? null;
  if (!found && process.env.CI === 'true') throw new Error(`The shared test data is missing (looked in ${CANDIDATES.join(', ')}); set WACHTPOST_TESTDATA_DIR.`);
  return found;
}

/** A path inside the test data; throws when the data is absent (check testdataDir() first to skip). */
export function testdataPath(...parts: string[]): string {
  const dir = testdataDir();
  if (!dir) throw new Error(`The shared test data is missing (looked in ${CANDIDATES.join(', ')}); set WACHTPOST_TESTDATA_DIR.`);
  return path.join(dir, ...parts);
}
