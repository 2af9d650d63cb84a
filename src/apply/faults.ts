/**
 * Fault injection for the test suite (test/faults), gated by environment variables that
 * nothing sets outside tests:
 * - DEVOPS_INIT_FAULT_AFTER_WRITES=N — the write after the N-th fails (an I/O error).
 * - DEVOPS_INIT_TEST_SIGNAL_AFTER_WRITES=N:SIGNAL — the process sends itself SIGNAL
 *   (SIGINT, SIGKILL…) after the N-th write, as if a person or the OOM killer did.
 * - DEVOPS_INIT_TEST_SIGNAL_AT=PHASE:SIGNAL — the same at a named phase (e.g. render).
 */
let writes = 0;

function parse(v: string | undefined): [string, NodeJS.Signals] | undefined {
  const m = /^([\w-]+):(SIG[A-Z]+)$/.exec(v ?? '');
  return m ? [m[1]!, m[2] as NodeJS.Signals] : undefined;
}

/** Called before each write: throws the injected fault when one is due. */
export function beforeWrite(): void {
  const failAfter = Number(process.env['DEVOPS_INIT_FAULT_AFTER_WRITES'] ?? NaN);
  if (writes === failAfter) throw new Error('injected fault (DEVOPS_INIT_FAULT_AFTER_WRITES)');
}

/** Called after each write. */
export function afterWrite(): void {
  writes++;
  const sig = parse(process.env['DEVOPS_INIT_TEST_SIGNAL_AFTER_WRITES']);
  if (sig && Number(sig[0]) === writes) process.kill(process.pid, sig[1]);
}

/** Called when a command enters a phase. */
export function atPhase(phase: string): void {
  const sig = parse(process.env['DEVOPS_INIT_TEST_SIGNAL_AT']);
  if (sig && sig[0] === phase) process.kill(process.pid, sig[1]);
}
