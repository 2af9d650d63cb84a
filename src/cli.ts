import { Command, CommanderError, Option } from 'commander';
import { installCancelHandler, settle } from './apply/cancel.js';
import { CliError, EXIT, systemErrorMessage, UsageError } from './errors.js';
import type { Question } from './practices/types.js';
import { VERSION } from './version.js';

/**
 * The command-line entry point: builds the commander program, lazy-imports the command
 * that runs (so `--help` stays close to bare-node start-up), and is the only place that
 * maps errors to exit codes and calls process.exit.
 */

const VALUE_OPTIONS = new Set(['-C', '--cwd']);
const COMMANDS = new Set(['init', 'add', 'remove', 'eject', 'sync', 'check', 'diff', 'doctor', 'list', 'explain', 'help']);

/**
 * The subcommand argv names, or undefined when none does (commander then runs `init`, the
 * default command). Only used to decide whether the practices' question flags must be
 * loaded (init and add), so `--help`, `check` and the rest start without them.
 */
function commandIn(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (VALUE_OPTIONS.has(a)) { i++; continue; }
    if (COMMANDS.has(a)) return a;
  }
  return undefined;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function addQuestionOptions(cmd: Command, questions: Question[]): void {
  const seen = new Set<string>();
  for (const q of questions) {
    if (seen.has(q.flag)) continue;
    seen.add(q.flag);
    const opt = new Option(q.flag, q.description);
    if (q.choices) opt.choices(q.choices.map((c) => c.value));
    cmd.addOption(opt);
    // Yes/no questions get both forms, so `--no-previews` answers "no" without a prompt.
    if (q.kind === 'confirm' && !q.flag.includes('<')) cmd.addOption(new Option(q.flag.replace(/^--/, '--no-'), `answer no to: ${q.message}`));
  }
}

async function loadQuestions(): Promise<Question[]> {
  const { PRACTICES } = await import('./practices/index.js');
  return PRACTICES.flatMap((p) => p.questions);
}

type Runner = () => Promise<number>;

function unknownCommand(word: string): UsageError {
  const near = [...COMMANDS].find((c) => c.startsWith(word.slice(0, 2)) && Math.abs(c.length - word.length) <= 2);
  return new UsageError(`unknown command "${word}".`, `${near ? `Did you mean \`devops-init ${near}\`? ` : ''}Commands: ${[...COMMANDS].filter((c) => c !== 'help').join(', ')} (devops-init --help).`);
}

export async function buildProgram(argv: string[], setRunner: (r: Runner) => void): Promise<Command> {
  const sub = commandIn(argv);
  const needsQuestions = sub === undefined ? !argv.some((a) => a === '-h' || a === '--help' || a === '-V' || a === '--version') : sub === 'init' || sub === 'add';
  const questions = needsQuestions ? await loadQuestions() : [];

  const program = new Command('devops-init')
    .description('Scaffold a production-grade DevOps setup from one spec (devops.yaml), then keep it true.\nRuns `init` when no command is given.')
    .version(VERSION, '-V, --version')
    .option('-C, --cwd <dir>', 'run in <dir> instead of the current folder')
    .option('-y, --yes', 'never ask: take flags, devops.yaml and detected defaults')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--json', 'machine-readable output (check, diff, list, init --dry-run, sync, add)')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('-q, --quiet', 'print only warnings and errors')
    .option('--verbose', 'print detection details and unchanged files')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (s, write) => write(s),
      // The build renders the help at a width wide enough never to wrap, for bin/devops-init.js's fast path.
      getOutHelpWidth: () => (process.env['DEVOPS_INIT_HELP_WIDTH'] ? Number(process.env['DEVOPS_INIT_HELP_WIDTH']) : process.stdout.isTTY ? process.stdout.columns : 80),
    });

  const globals = (cmd: Command) => cmd.optsWithGlobals();
  const run = (fn: (cmd: Command) => Promise<number>) => (..._args: unknown[]) => {
    const cmd = _args[_args.length - 1] as Command;
    setRunner(() => fn(cmd));
  };

  const init = program
    .command('init', { isDefault: true })
    .description('detect the stack, ask a few questions, write devops.yaml and every practice\'s files')
    .option('--practices <ids>', 'comma-separated practices to enable (default: all available)')
    .option('--name <name>', 'project name (default: from the manifest or folder)')
    .option('--repository <owner/repo>', 'GitHub repository (default: the "origin" remote)')
    .option('--port <[service=]port>', 'service port (repeatable; without service= it applies to all)', collect)
    .option('--health-path <[service=]path>', 'health check path (default /healthz; repeatable)', collect)
    // The default command: a word that is no command lands here, and gets a clear error.
    .allowExcessArguments(true)
    .action(run(async (cmd) => {
      if (cmd.args.length > 0) throw unknownCommand(cmd.args[0]!);
      return (await import('./commands/init.js')).runInit(globals(cmd));
    }));
  addQuestionOptions(init, questions);

  const add = program
    .command('add')
    .description('add practices to a repository that already has devops.yaml, touching only what they need')
    .argument('<practice...>', 'practice ids, e.g. gitops deploy')
    .option('--force', 'rewrite files even when they have uncommitted changes')
    .action(run(async (cmd) => (await import('./commands/add.js')).runAdd(cmd.args, globals(cmd))));
  addQuestionOptions(add, questions);

  program
    .command('remove')
    .description('take practices out of devops.yaml and delete their unedited files')
    .argument('<practice...>', 'practice ids, e.g. logging')
    .option('--force', 'rewrite files even when they have uncommitted changes')
    .action(run(async (cmd) => (await import('./commands/remove.js')).runRemove(cmd.args, globals(cmd))));

  program
    .command('eject')
    .description('hand generated files over to the team: no marker, never regenerated or checked again')
    .argument('<path...>', 'managed files, e.g. .github/workflows/security.yml')
    .action(run(async (cmd) => (await import('./commands/eject.js')).runEject(cmd.args, globals(cmd))));

  program
    .command('sync')
    .description('regenerate files from devops.yaml; hand edits are kept by a three-way merge')
    .option('--force', 'rewrite files even when they have uncommitted changes')
    .option('--strict', 'render every file instead of taking unchanged services\' hashes from the lock (repairs what check --strict reports)')
    .action(run(async (cmd) => (await import('./commands/sync.js')).runSync(globals(cmd))));

  program
    .command('check')
    .description('exit 1 when generated files are stale, missing or orphaned (for CI); never writes')
    .option('--strict', 'also fail on files edited by hand')
    .action(run(async (cmd) => (await import('./commands/check.js')).runCheck(globals(cmd))));

  program
    .command('diff')
    .description('show what sync would change, as a unified diff')
    .argument('[paths...]', 'limit to these files or folders')
    .action(run(async (cmd) => (await import('./commands/diff.js')).runDiff(cmd.args, globals(cmd))));

  program
    .command('doctor')
    .description('check that this machine and repository are ready (node, git, devops.yaml, lock, last sync), and audit the repository against the handbook\'s common mistakes')
    .option('--strict', 'exit 1 when the handbook audit finds anything')
    .action(run(async (cmd) => (await import('./commands/doctor.js')).runDoctor(globals(cmd))));

  program
    .command('list')
    .description('list practices: which exist and which this repository enables')
    .action(run(async (cmd) => (await import('./commands/list.js')).runList(globals(cmd))));

  program
    .command('explain')
    .description('print the handbook behind a practice: what, why, pros, cons, best for')
    .argument('[practice]', 'ci, gitops, deploy, observability, monitoring, logging…')
    .action(run(async (cmd) => (await import('./commands/explain.js')).runExplain(cmd.args[0], globals(cmd))));

  return program;
}

function printError(e: unknown): number {
  if (e instanceof CliError) {
    process.stderr.write(`devops-init: ${e.message}\n`);
    if (e.hint) process.stderr.write(`  ${e.hint}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  const system = systemErrorMessage(e);
  if (system) return process.stderr.write(`devops-init: ${system}\n`), EXIT.drift;
  process.stderr.write(`devops-init: internal error: ${err?.stack ?? String(e)}\n  This is a bug in devops-init; please report it with the command you ran.\n`);
  return EXIT.internal;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const args = argv;
  let runner: Runner | undefined;
  try {
    const program = await buildProgram(args, (r) => (runner = r));
    program.hook('preAction', async (_p, action) => {
      const { configureOutput } = await import('./ui/output.js');
      const o = action.optsWithGlobals();
      configureOutput({ json: Boolean(o['json']), quiet: Boolean(o['quiet']), verbose: Boolean(o['verbose']), color: o['color'] !== false });
    });
    await program.parseAsync(args, { from: 'user' });
    return runner ? await runner() : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    return printError(e);
  }
}

// Ctrl-C: cancel before any write, undo between writes, or report a completed run (src/apply/cancel.ts).
installCancelHandler();
process.exitCode = await settle(await main());
