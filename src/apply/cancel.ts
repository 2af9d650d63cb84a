import { EXIT } from '../errors.js';

/**
 * Ctrl-C (SIGINT) that tells the truth. Three moments:
 * - nothing written yet (detect, ask, render, plan): cancel at once — one line, exit 130,
 *   and it is true that nothing was written;
 * - writing: only note the request; apply checks it between writes, restores every file it
 *   already wrote and then exits 130 saying so;
 * - written (the run is committed): too late to undo; the run finishes and says so, with
 *   the exit code of what really happened.
 * A synchronous stretch (the render) cannot see a signal until it yields: `checkpoint()`
 * yields to the event loop so a pending SIGINT is handled there and then.
 */
type Moment = 'idle' | 'writing' | 'committed';

let moment: Moment = 'idle';
let requested = false;
let installed = false;
const exitHooks = new Set<() => void>();

function onSigint(): void {
  if (moment === 'idle') {
    process.stderr.write('\nCancelled; nothing was written.\n');
    process.exit(EXIT.cancelled);
  }
  if (requested) {
    if (moment === 'writing') process.stderr.write('\nStill restoring the files already written; please wait.\n');
    return;
  }
  requested = true;
}

/** Installed once by the CLI entry point. Exit hooks (lock release) run on any exit. */
export function installCancelHandler(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSigint);
  process.on('exit', () => {
    for (const h of [...exitHooks]) {
      try {
        h();
      } catch {
        /* exiting anyway */
      }
    }
  });
}

/** Run `hook` when the process exits, however it exits (except SIGKILL); returns the remover. */
export function onExit(hook: () => void): () => void {
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

/** Apply starts changing files: a Ctrl-C from now on is a request, honoured between writes. */
export function beginWriting(): void {
  moment = 'writing';
}

/** The run is committed: a Ctrl-C from now on cannot undo it. */
export function committed(): void {
  moment = 'committed';
}

/** Back to a moment where nothing of this run is on disk (after a rollback). */
export function idle(): void {
  moment = 'idle';
}

export function cancelRequested(): boolean {
  return requested;
}

/** Yield to the event loop so a pending Ctrl-C is seen; true when one was requested. */
export async function yieldForSignals(): Promise<boolean> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return requested;
}

/**
 * At the end of a command: handle a Ctrl-C that arrived during its last synchronous stretch.
 * Before any write it cancels (exit 130, nothing written); after the commit it reports that
 * the run had already completed, and the command's own exit code stands.
 */
export async function settle(code: number): Promise<number> {
  await yieldForSignals();
  if (requested && moment === 'committed') {
    process.stderr.write('Ctrl-C came after every change was written: the run completed (nothing was undone).\n');
  }
  return code;
}
