import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, PreconditionError } from '../errors.js';
import { inputsDigest } from '../lock/inputs.js';
import { readLock } from '../lock/lock.js';
import { checkAgainstLock, checkTree, FAILING, type CheckItem } from '../plan/check.js';
import { chalk, detail, emitJson, say } from '../ui/output.js';
import { VERSION } from '../version.js';
import { overrideReader, repoRoot, type GlobalOptions } from './context.js';

export interface CheckOptions extends GlobalOptions {
  strict?: boolean;
}

/**
 * `devops-init check`: render in memory and compare with the lock and the disk. When the
 * render inputs are unchanged since the last sync (lock/inputs.ts) the render is the lock's
 * and is skipped; --strict always renders. Never writes, spawns nothing, needs no network
 * or git history. Returns the exit code.
 */
export async function runCheck(opts: CheckOptions): Promise<number> {
  const root = repoRoot(opts);
  const specPath = join(root, 'devops.yaml');
  const specText = existsSync(specPath) ? readFileSync(specPath, 'utf8') : undefined;
  const lock = specText === undefined ? undefined : readLock(root);
  let items: CheckItem[];
  let rendered = true;
  if (!opts.strict && lock?.inputs !== undefined && specText !== undefined && lock.inputs === inputsDigest(root, specText)) {
    // Same tool, same devops.yaml, same overrides as the last sync: the render would be the lock's.
    items = checkAgainstLock(root, lock);
    rendered = false;
    detail('devops.yaml, overrides and devops-init are unchanged since the last sync: compared with the lock without rendering.');
  } else {
    const [{ loadSpec }, { computeTree }] = await Promise.all([import('../spec/load.js'), import('../tree/compute.js')]);
    const { spec } = loadSpec(root);
    if (!lock) {
      throw new PreconditionError('No .devops-init/lock.json: devops-init has not generated files here yet.', 'Run `devops-init sync` and commit the result.');
    }
    const tree = computeTree(spec, overrideReader(root), new Set(Object.values(lock.files).map((f) => f.hash)));
    items = checkTree(root, tree, lock);
  }
  if (!lock) throw new PreconditionError('No .devops-init/lock.json.', 'Run `devops-init sync`.');
  const failing = items.filter((i) => FAILING.has(i.state) || (opts.strict && i.state === 'edited'));
  const code = failing.length ? EXIT.drift : EXIT.ok;
  if (opts.json) {
    emitJson({ schemaVersion: 1, command: 'check', ok: code === 0, strict: Boolean(opts.strict), rendered, tool: VERSION, lockTool: lock.tool, files: items });
    return code;
  }
  printCheck(items, failing, lock.tool, Boolean(opts.strict));
  return code;
}

function printCheck(items: CheckItem[], failing: CheckItem[], lockTool: string, strict: boolean): void {
  const edited = items.filter((i) => i.state === 'edited');
  for (const i of items) {
    if (i.state === 'clean') continue;
    const bad = failing.includes(i);
    const label = (bad ? chalk.red : chalk.yellow)(i.state.padEnd(9));
    say(`  ${label} ${i.path}${i.note ? chalk.dim(`  (${i.note})`) : ''}${bad && i.fix ? `  → ${i.fix}` : ''}`);
  }
  if (lockTool !== VERSION) say(chalk.dim(`  note: the lock was written by devops-init ${lockTool}; this is ${VERSION}.`));
  const clean = items.length - failing.length - (strict ? 0 : edited.length);
  if (failing.length) {
    say(chalk.red(`✗ ${failing.length} of ${items.length} generated files are out of date with devops.yaml.`) + ' Run `devops-init sync` and commit the result.');
  } else {
    say(chalk.green(`✓ ${items.length} generated files match devops.yaml`) + (edited.length ? ` (${edited.length} with hand edits, kept by sync${strict ? '' : '; --strict fails on them'})` : '') + '.');
  }
  void clean;
}
