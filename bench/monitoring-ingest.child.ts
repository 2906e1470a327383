// The ingest half of the monitoring benchmark, in a process of its own so that its peak RSS (the
// kernel's maxRSS) is the ingest's alone, not the generator's or the matcher benchmark's.
// Arguments: the report file, the database URL. Prints one JSON line: ms, rows, failed, maxRssMb.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { openDatabase } from '../src/db/database.ts';
import { loadConfig } from '../src/server/config.ts';
import { systemContext } from '../src/server/context.ts';
import { ingestReport } from '../src/modules/monitoring/report.service.ts';

const [file, databaseUrl] = process.argv.slice(2);
if (!file || !databaseUrl) throw new Error('usage: monitoring-ingest.child.ts FILE DATABASE_URL');
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://wachtpost.bench.example', DATABASE_URL: databaseUrl });
const database = await openDatabase({ databaseUrl });
const system = systemContext({ config, database, log: pino({ level: 'silent' }) }, 'bench');
const t0 = performance.now();
const result = await ingestReport(system, { format: 'shadowserver', fileName: path.basename(file), content: createReadStream(file), via: 'folder' });
const ms = performance.now() - t0;
await database.close();
console.log(JSON.stringify({ ms, rows: result.rowsTotal, failed: result.rowsFailed, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
