import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '#server/config.ts';
import { DataDirBusyError } from '#server/data-dir-lock.ts';
import { AppError } from '#server/errors.ts';
import { registerServe } from './serve.command.ts';
import { registerAdminCommands } from './admin.commands.ts';
import { registerDoctor } from './doctor.command.ts';
import { registerKeysCommands } from './keys.command.ts';
import { registerCvdCommands } from './cvd.command.ts';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('wachtpost')
    .description('Wachtpost: one platform to run a sector CERT.')
    .version(version(), '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: true });
  program.addOption(new Option('--data-dir <path>', 'folder of the embedded database').env('WACHTPOST_DATA_DIR'));
  registerServe(program);
  registerAdminCommands(program);
  registerDoctor(program);
  registerKeysCommands(program);
  registerCvdCommands(program);
  return program;
}

/** Runs the CLI; errors a person can fix are printed as sentences, not stack traces. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof DataDirBusyError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof AppError) {
      process.stderr.write(`Error (${err.code}): ${err.message}\n`);
      if (err.details) process.stderr.write(`${JSON.stringify(err.details)}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
