import type { Command } from 'commander';
import type { ProcessRole } from '#server/boot.ts';
import { configFrom } from './shared.ts';

const ALL_ROLES: ProcessRole[] = ['web', 'worker', 'scheduler'];

function parseRoles(value: string): ProcessRole[] {
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !ALL_ROLES.includes(r as ProcessRole));
  if (unknown.length || !roles.length) throw new Error(`Unknown role(s): ${unknown.join(', ') || '(none)'}. Use any of: ${ALL_ROLES.join(', ')}.`);
  return roles as ProcessRole[];
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run Wachtpost: the web server, the job worker and the scheduler (all by default)')
    .option('--roles <list>', 'comma-separated roles of this process: web,worker,scheduler', 'web,worker,scheduler')
    .option('--demo', 'load the demo data when the database is empty, and print a demo login')
    .action(async (opts: { roles: string; demo?: boolean }, command: Command) => {
      const config = configFrom(command);
      const roles = new Set(parseRoles(opts.roles));
      // The server loads on demand, so `wachtpost --help` stays instant.
      const [{ createLogger }, { openServices, startProcess }, { systemContext }, { loadDemo }, { ensureSigningKey }] = await Promise.all([
        import('#server/logger.ts'),
        import('#server/boot.ts'),
        import('#server/context.ts'),
        import('#modules/demo/demo.service.ts'),
        import('#modules/keys/signing-key.service.ts'),
      ]);
      const log = createLogger(config.logLevel);
      const { services, lock } = await openServices(config, log);
      let demoLogins: { email: string; role: string; password: string }[] = [];
      if (opts.demo) {
        const demo = await loadDemo(systemContext(services, 'demo'));
        demoLogins = demo.logins;
        if (demo.created) log.info('demo data loaded');
      }
      // The CERT's OpenPGP key signs every publication: made on first start when none was imported.
      const key = await ensureSigningKey(systemContext(services, 'boot'));
      if (key.created) log.info({ fingerprint: key.fingerprint }, 'generated the CERT signing key (replace it with “wachtpost keys import” if the CERT has one)');
      const running = await startProcess(services, roles, lock);
      const shutdown = async (signal: string) => {
        log.info(`${signal}: stopping`);
        await running.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded database in ${config.dataDir}`;
      const lines = [
        '',
        `  Wachtpost is running (${[...roles].join(', ')}) on ${where}.`,
        ...(running.url ? [`  Open ${config.publicUrl}`] : []),
        ...(demoLogins.length
          ? [
              '',
              '  Demo logins (password for all: ' + (demoLogins[0]?.password ?? '') + '):',
              ...demoLogins.map((l) => `    ${l.email.padEnd(34)} ${l.role}`),
              '  CERT staff set up an authenticator app (TOTP) at their first login.',
            ]
          : []),
        '',
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
