import chalk from 'chalk';

/** How the user asked us to talk: set once by the CLI from global flags and NO_COLOR. */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
}

const opts: OutputOptions = { json: false, quiet: false, verbose: false, color: true };

export function configureOutput(o: Partial<OutputOptions>): void {
  Object.assign(opts, o);
  const noColor = !opts.color || 'NO_COLOR' in process.env && process.env['NO_COLOR'] !== '' || !process.stdout.isTTY;
  chalk.level = noColor && !process.env['FORCE_COLOR'] ? 0 : chalk.level || 1;
}

export function outputOptions(): Readonly<OutputOptions> {
  return opts;
}

/** Normal progress output (suppressed by --quiet and --json). */
export function say(line = ''): void {
  if (!opts.quiet && !opts.json) process.stdout.write(line + '\n');
}

/** Extra detail for --verbose. */
export function detail(line: string): void {
  if (opts.verbose && !opts.json) process.stdout.write(chalk.dim(line) + '\n');
}

/** Warnings go to stderr, even under --quiet. */
export function warn(line: string): void {
  process.stderr.write(chalk.yellow('warning: ') + line + '\n');
}

/** Machine-readable output for --json: one JSON document on stdout. */
export function emitJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export { chalk };
