import type { Command } from 'commander';
import { Option } from 'commander';
import { ROLES, TOKEN_SCOPE_NAMES } from '#modules/access/permissions.ts';
import { SEGMENTS } from '#modules/organisations/organisation.schema.ts';
import type * as AdminActions from './admin.actions.ts';

type Actions = typeof AdminActions;

// The command definitions only: the work (and the heavy imports it needs) loads when a command runs,
// so `wachtpost --help` and the refusal to open a busy data folder answer at once.
const actions = (): Promise<Actions> => import('./admin.actions.ts');

export function registerAdminCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async (...args: Parameters<Actions['migrateAction']>) => (await actions()).migrateAction(...args));

  program
    .command('demo')
    .description('load the demo organisations and users (once; a second run changes nothing)')
    .action(async (...args: Parameters<Actions['demoAction']>) => (await actions()).demoAction(...args));

  program
    .command('init')
    .description('set up an empty installation: the CERT organisation and its first admin')
    .requiredOption('--cert-name <name>', 'name of the CERT')
    .requiredOption('--admin-email <email>', 'e-mail address of the first CERT admin')
    .option('--admin-name <name>', 'display name of the first CERT admin')
    .option('--password-stdin', 'read the admin password from standard input (otherwise an invitation is mailed)')
    .action(async (...args: Parameters<Actions['initAction']>) => (await actions()).initAction(...args));

  const org = program.command('org').description('manage organisations');
  org
    .command('list')
    .description('list organisations')
    .option('--json', 'print JSON for scripts')
    .action(async (...args: Parameters<Actions['orgList']>) => (await actions()).orgList(...args));
  org
    .command('create')
    .description('register an organisation')
    .requiredOption('--name <name>', 'full name')
    .addOption(new Option('--kind <kind>', 'kind of organisation').choices(['participant', 'vendor', 'partner']).default('participant'))
    .addOption(new Option('--segment <segment>', 'segment of a participant').choices([...SEGMENTS]))
    .option('--short-name <short>', 'short name or abbreviation')
    .option('--json', 'print JSON for scripts')
    .action(async (...args: Parameters<Actions['orgCreate']>) => (await actions()).orgCreate(...args));
  org
    .command('import')
    .description('import organisations from CSV (columns: name,kind,segment,short_name); --dry-run reports only')
    .argument('<csv>', 'path of the CSV file')
    .option('--dry-run', 'check every row and report, without importing')
    .option('--json', 'print JSON for scripts')
    .action(async (...args: Parameters<Actions['orgImport']>) => (await actions()).orgImport(...args));

  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user; with --password-stdin the account is active at once, otherwise an invitation is mailed')
    .requiredOption('--email <email>', 'e-mail address (the login)')
    .requiredOption('--org <organisation>', 'organisation id, name or short name')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'print JSON for scripts')
    .action(async (...args: Parameters<Actions['userCreate']>) => (await actions()).userCreate(...args));
  user
    .command('list')
    .description('list users')
    .option('--org <organisation>', 'only this organisation')
    .option('--json', 'print JSON for scripts')
    .action(async (...args: Parameters<Actions['userList']>) => (await actions()).userList(...args));

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token for a user; the token is printed once')
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scope <scope...>', `scopes (${TOKEN_SCOPE_NAMES.join(', ')})`, ['organisations:read'])
    .option('--expires <date>', 'expiry date, e.g. 2027-06-30')
    .option('--json', 'print JSON for scripts')
    .action(async (...args: Parameters<Actions['tokenCreate']>) => (await actions()).tokenCreate(...args));

  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('check the hash chain of the audit log; exits 1 when it was tampered with')
    .option('--json', 'print JSON for scripts')
    .action(async (...args: Parameters<Actions['auditVerify']>) => (await actions()).auditVerify(...args));
}
