import { readFileSync } from 'node:fs';
import { FeatureRulesError } from '../../shared/featureRules.js';
import { CancelledError, InputError } from '../engine/errors.js';
import { apkCommand } from './apkCommand.js';
import { compareCommand } from './compareCommand.js';
import { extractCommand } from './extractCommand.js';
import { infoCommand } from './infoCommand.js';
import { inventoryCommand } from './inventoryCommand.js';
import { terminalSafe, writeStdout } from './output.js';
import { rulesCommand } from './rulesCommand.js';
import { timelineCommand } from './timelineCommand.js';
import { catCommand, lsCommand } from './treeCommands.js';
import { USAGE, UsageError } from './usage.js';

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_INPUT = 2;
export const EXIT_INTERNAL = 3;

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  compare: compareCommand,
  apk: apkCommand,
  info: infoCommand,
  inventory: inventoryCommand,
  ls: lsCommand,
  cat: catCommand,
  extract: extractCommand,
  timeline: timelineCommand,
  rules: rulesCommand,
};

function version(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return packageJson.version;
}

/** Runs the CLI; resolves to the exit code. Errors become one line on stderr, never a stack trace. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      await writeStdout(USAGE);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (command === '--version' || command === '-v') {
      await writeStdout(`otalens ${version()}\n`);
      return EXIT_OK;
    }
    const run = COMMANDS[command];
    if (run === undefined) throw new UsageError(`unknown command "${command}" (try otalens --help)`);
    await run(rest);
    return EXIT_OK;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (isBrokenPipe(error)) return EXIT_OK; // the reader (e.g. `| head`) has all it wanted
  if (error instanceof UsageError || isParseArgsError(error)) {
    process.stderr.write(`otalens: ${terminalSafe((error as Error).message)}\nRun otalens --help for usage.\n`);
    return EXIT_USAGE;
  }
  if (error instanceof InputError || error instanceof FeatureRulesError) {
    process.stderr.write(`otalens: ${terminalSafe(error.message)}\n`);
    return EXIT_INPUT;
  }
  if (error instanceof CancelledError) {
    process.stderr.write('otalens: cancelled\n');
    return EXIT_INPUT;
  }
  process.stderr.write(`otalens: internal error: ${terminalSafe(error instanceof Error ? error.message : String(error))} (please report this)\n`);
  if (process.env.OTALENS_DEBUG) console.error(error);
  return EXIT_INTERNAL;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}
