import { yieldForSignals } from '../apply/cancel.js';
import { atPhase } from '../apply/faults.js';
import { hasJournal, JOURNAL } from '../apply/journal.js';
import { liveHolder, REPO_LOCK } from '../apply/repo-lock.js';
import { EXIT, PreconditionError, UsageError } from '../errors.js';
import { inputsDigest, renderInputsDigest } from '../lock/inputs.js';
import { lockHashes, readLock } from '../lock/lock.js';
import { checkAgainstLock, checkTree, FAILING, seededMissing, type CheckItem } from '../plan/check.js';
import { readSpecText } from '../spec/read.js';
import { StatCache } from '../tree/stat-cache.js';
import { chalk, detail, emitJson, say } from '../ui/output.js';
import { VERSION } from '../version.js';
import { overrideReader, repoRoot, type GlobalOptions } from './context.js';

export interface CheckOptions extends GlobalOptions {
  strict?: boolean;
}

/**
 * `devops-init check`: render in memory and compare with the lock and the disk. When the
 * render inputs are unchanged since the last sync (lock/inputs.ts: devops.yaml's text, or
 * else its data, so a comment edit does not count) the render is the lock's and is skipped,
 * and files whose stat is unchanged since a check hashed them are not read again
 * (tree/stat-cache.ts: a cache in the git folder, the one thing check writes, best effort);
 * --strict always renders and reads everything. Never writes the working tree, spawns
 * nothing, needs no network or git history. A run that was interrupted (its journal is
 * there) or is writing right now (it holds the repository lock) fails the check: the files
 * are mid-change. Returns the exit code.
 */
export async function runCheck(opts: CheckOptions): Promise<number> {
  const root = repoRoot(opts);
  const specText = readSpecText(root);
  const lock = specText === undefined ? undefined : readLock(root);
  let items: CheckItem[];
  let rendered = true;
  const fromLock = (why: string): CheckItem[] => {
    // Same tool, same devops.yaml, same overrides as the last sync: the render would be the lock's.
    const cache = StatCache.open(root);
    const found = checkAgainstLock(root, lock!, cache);
    cache.save();
    rendered = false;
    detail(`${why}: compared with the lock without rendering.`);
    return found;
  };
  if (!opts.strict && lock?.inputs !== undefined && specText !== undefined && lock.inputs === inputsDigest(root, specText) && !seededMissing(root, lock)) {
    items = fromLock('devops.yaml, overrides and devops-init are unchanged since the last sync');
  } else {
    // The render (practices, emitters, templates) loads only when it runs: a comment edit never needs it.
    const { parseSpec } = await import('../spec/load.js');
    if (specText === undefined) throw new UsageError(`No devops.yaml in ${root}.`, 'Run `devops-init init` first (or pass -C <dir> to point at the repository).');
    const loaded = parseSpec(specText);
    if (!lock) {
      throw new PreconditionError('No .devops-init/lock.json: devops-init has not generated files here yet.', 'Run `devops-init sync` and commit the result.');
    }
    if (!opts.strict && lock.renderInputs !== undefined && lock.renderInputs === renderInputsDigest(root, loaded.raw) && !seededMissing(root, lock)) {
      // Only comments or layout changed: the data the render reads is the last sync's.
      items = fromLock('devops.yaml changed only in comments or layout since the last sync (its data, the overrides and devops-init are unchanged)');
    } else {
      atPhase('render');
      const [{ renderLoaded }, { lockReuse }] = await Promise.all([import('../tree/repo.js'), import('../tree/reuse.js')]);
      // Files of services whose devops.yaml entry is the last sync's keep the lock's hash unrendered (not under --strict).
      const reuse = opts.strict ? undefined : lockReuse(root, loaded.raw, loaded.spec, lock);
      let reused = 0;
      const known = reuse && ((f: Parameters<typeof reuse>[0]) => {
        const hash = reuse(f);
        if (hash !== undefined) reused++;
        return hash;
      });
      const tree = renderLoaded(loaded, overrideReader(root), lockHashes(lock), known);
      if (reused > 0) detail(`${reused} files of services whose devops.yaml entry is unchanged since the last sync: compared with the lock without rendering.`);
      // The render is synchronous: a Ctrl-C during it is handled here.
      await yieldForSignals();
      const cache = opts.strict ? undefined : StatCache.open(root);
      items = checkTree(root, tree, lock, cache, opts.strict ? 'devops-init sync --strict' : undefined);
      cache?.save();
    }
  }
  if (!lock) throw new PreconditionError('No .devops-init/lock.json.', 'Run `devops-init sync`.');
  const holder = liveHolder(root);
  const interrupted = hasJournal(root);
  const failing = items.filter((i) => FAILING.has(i.state) || (opts.strict && i.state === 'edited'));
  const code = failing.length || holder || interrupted ? EXIT.drift : EXIT.ok;
  const inFlight = holder
    ? `another devops-init (pid ${holder.pid} on ${holder.host}, ${holder.command}) is writing this repository right now (${REPO_LOCK}); run check again when it is done`
    : interrupted
      ? `a devops-init run was interrupted part-way (${JOURNAL} is there); run \`devops-init sync\`: it undoes the interrupted run, then syncs`
      : undefined;
  // Placeholders the team must fill (incident.escalation): a warning, never a failure.
  const placeholders = specText?.includes('<FILL:')
    ? ['devops.yaml still holds <FILL: …> placeholders (incident.escalation): replace them with real contacts, then run `devops-init sync`.']
    : [];
  if (opts.json) {
    emitJson({ schemaVersion: 1, command: 'check', ok: code === 0, strict: Boolean(opts.strict), rendered, tool: VERSION, lockTool: lock.tool, ...(inFlight ? { interrupted: interrupted, inProgress: Boolean(holder), note: inFlight } : {}), ...(placeholders.length ? { warnings: placeholders } : {}), files: items });
    return code;
  }
  printCheck(items, failing, lock.tool, Boolean(opts.strict));
  for (const w of placeholders) say(chalk.yellow(`warning: ${w}`));
  if (inFlight) say(chalk.red(`✗ ${inFlight[0]!.toUpperCase()}${inFlight.slice(1)}.`));
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
  if (failing.length) {
    say(chalk.red(`✗ ${failing.length} of ${items.length} generated files are out of date with devops.yaml.`) + ` Run \`devops-init sync${strict ? ' --strict' : ''}\` and commit the result.`);
  } else {
    say(chalk.green(`✓ ${items.length} generated files match devops.yaml`) + (edited.length ? ` (${edited.length} with hand edits, kept by sync${strict ? '' : '; --strict fails on them'})` : '') + '.');
  }
}
