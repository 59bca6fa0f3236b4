/**
 * `npm run admin -- <command> [--option value ...] [--json]`: the integration specialist's tool.
 *
 * Targets the local runtime at `API` (e.g. http://localhost:3300) or on `PORT` (default 3000) unless
 * given `--table <name> --region <r>` or `--outputs <cdk outputs file>` for a deployed stack.
 *
 * Adding commands: create `scripts/admin/<group>.ts` exporting an object whose name ends in
 * `Commands`, mapping each command name to `{ summary, options, required?, flags?, run }` (type
 * `AdminCommands` in `scripts/admin/support/types.ts`). `run(target, args)` gets the target's table
 * name, document client, SQS client and queue URLs, and returns what to print. This file finds the
 * group by itself: there is nothing to register here.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveTarget } from './admin/support/target';
import type { AdminCommand, AdminCommands } from './admin/support/types';

const GROUPS_DIR = path.join(__dirname, 'admin');
const TARGET_OPTIONS = ['table', 'region', 'outputs'] as const;

const isCommand = (value: unknown): value is AdminCommand =>
  typeof value === 'object' && value !== null && typeof (value as AdminCommand).run === 'function' && Array.isArray((value as AdminCommand).options);

/** Every `*Commands` export of every file directly in scripts/admin/. */
const loadCommands = (): Map<string, AdminCommand> => {
  const commands = new Map<string, AdminCommand>();
  for (const file of readdirSync(GROUPS_DIR).filter((name) => name.endsWith('.ts')).sort()) {
    const group = require(path.join(GROUPS_DIR, file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(group)) {
      if (!exportName.endsWith('Commands') || typeof value !== 'object' || value === null) continue;
      for (const [name, command] of Object.entries(value as AdminCommands)) {
        if (!isCommand(command)) continue;
        if (commands.has(name)) throw new Error(`Admin command ${name} is defined twice (again in ${file}).`);
        commands.set(name, command);
      }
    }
  }
  return commands;
};

const usage = (commands: Map<string, AdminCommand>): string =>
  [
    'Usage: npm run admin -- <command> [options] [--json]',
    '       [--table <name> --region <region> | --outputs <cdk-outputs.json>]   (default: the local stack at API, or on PORT)',
    '',
    'Commands:',
    ...[...commands].map(([name, c]) => {
      const options = [
        ...c.options.map((o) => (c.required?.includes(o) ? `--${o} <${o}>` : `[--${o} <${o}>]`)),
        ...(c.flags ?? []).map((f) => `[--${f}]`),
      ];
      return `  ${name} ${options.join(' ')}${c.summary ? `\n      ${c.summary}` : ''}`;
    }),
  ].join('\n');

class UsageError extends Error {}

const main = async (argv: string[]): Promise<number> => {
  const commands = loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(usage(commands));
    return name ? 0 : 2;
  }
  const command = commands.get(name);
  if (!command) throw new UsageError(`Unknown command ${name}.\n\n${usage(commands)}`);

  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        ...Object.fromEntries([...TARGET_OPTIONS, ...command.options].map((o) => [o, { type: 'string' as const }])),
        ...Object.fromEntries((command.flags ?? []).map((f) => [f, { type: 'boolean' as const }])),
      },
    }));
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
  if (values.help) {
    console.log(usage(new Map([[name, command]])));
    return 0;
  }
  const missing = (command.required ?? []).filter((option) => values[option] === undefined);
  if (missing.length) throw new UsageError(`${name}: ${missing.map((o) => `--${o}`).join(', ')} required.`);

  const target = await resolveTarget({
    table: values.table as string | undefined,
    region: values.region as string | undefined,
    outputs: values.outputs as string | undefined,
    port: process.env.PORT,
    url: process.env.API,
  });
  const args = Object.fromEntries([...command.options, ...(command.flags ?? [])].filter((o) => values[o] !== undefined).map((o) => [o, values[o]]));
  const result = await command.run(target, args);
  console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
  target.documents.destroy();
  target.sqs.destroy();
  return 0;
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    // A command's own failures are messages for the operator; ADMIN_DEBUG=1 shows where they came from.
    console.error(`admin: ${process.env.ADMIN_DEBUG ? (error.stack ?? error.message) : error.message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
