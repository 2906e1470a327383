#!/usr/bin/env node
// Builds the web front-end (src/web -> dist/web) with Vite.
// `--if-stale` skips the build when dist/web/index.html is newer than every input file,
// so `npm start` and the e2e tests do not pay for a rebuild on every run.
import console from 'node:console';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(repoRoot, 'src/web');
const outputIndex = path.join(repoRoot, 'dist/web/index.html');
const extraInputs = ['vite.config.ts', 'postcss.config.mjs', 'package-lock.json'].map((f) =>
  path.join(repoRoot, f),
);

async function mtimeOrNull(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function newestInputMtime(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, await newestInputMtime(full));
    } else if (entry.isFile()) {
      newest = Math.max(newest, (await stat(full)).mtimeMs);
    }
  }
  return newest;
}

async function isStale() {
  const builtAt = await mtimeOrNull(outputIndex);
  if (builtAt === null) return true;
  let newest = await newestInputMtime(srcDir);
  for (const file of extraInputs) newest = Math.max(newest, (await mtimeOrNull(file)) ?? 0);
  return newest > builtAt;
}

async function main() {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && !(await isStale())) {
    console.log('build-web: dist/web is up to date, skipping');
    return;
  }
  const started = Date.now();
  await build({
    configFile: path.join(repoRoot, 'vite.config.ts'),
    logLevel: 'warn',
  });
  console.log(`build-web: built dist/web in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

main().catch((error) => {
  console.error('build-web: build failed');
  console.error(error);
  process.exit(1);
});
