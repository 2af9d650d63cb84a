import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { inspect } from '../tree/disk.js';
import type { OverrideReader } from '../tree/compute.js';

/** Global options every command receives (commander's parsed globals). */
export interface GlobalOptions {
  cwd?: string;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

/** The repository root the command works in (-C/--cwd or the current folder). */
export function repoRoot(opts: GlobalOptions): string {
  const root = resolve(opts.cwd ?? process.cwd());
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UsageError(`${root} is not a folder.`, 'Pass -C <dir> with an existing repository folder.');
  }
  return root;
}

/** Whether we may prompt: never with --yes or --json, never without a TTY on stdin and stdout. */
export function isInteractive(opts: GlobalOptions): boolean {
  return !opts.yes && !opts.json && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
}

import { OVERRIDES_DIR } from '../lock/inputs.js';
export { OVERRIDES_DIR };

/**
 * Team overrides: a file at `.devops-init/templates/<output path>` replaces the shipped
 * template for that output (same Handlebars helpers and data). Read without following links.
 */
export function overrideReader(root: string): OverrideReader | undefined {
  if (!existsSync(join(root, OVERRIDES_DIR))) return undefined;
  return (outputPath) => {
    const st = inspect(root, `${OVERRIDES_DIR}/${outputPath}`);
    return st.kind === 'file' ? st.bytes.toString('utf8') : undefined;
  };
}
