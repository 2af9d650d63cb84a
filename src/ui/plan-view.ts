import type { Change, ChangeKind, Plan } from '../plan/types.js';
import { chalk, detail, say } from './output.js';

const LABEL: Record<ChangeKind, { sign: string; color: (s: string) => string }> = {
  create: { sign: '+', color: chalk.green },
  update: { sign: '~', color: chalk.cyan },
  merge: { sign: '⇄', color: chalk.cyan },
  conflict: { sign: '!', color: chalk.red },
  delete: { sign: '-', color: chalk.red },
  release: { sign: '?', color: chalk.yellow },
  skip: { sign: '·', color: chalk.yellow },
  blocked: { sign: '✗', color: chalk.red },
  edited: { sign: '✎', color: chalk.dim },
  keep: { sign: '=', color: chalk.dim },
  unchanged: { sign: '=', color: chalk.dim },
};

/** Kinds shown without --verbose: the ones that change something or need attention. */
const LOUD: ReadonlySet<ChangeKind> = new Set(['create', 'update', 'merge', 'conflict', 'delete', 'release', 'skip', 'blocked']);

const PAST: Record<ChangeKind, string> = {
  create: 'created', update: 'updated', merge: 'merged', conflict: 'in conflict', delete: 'deleted',
  release: 'released', skip: 'skipped', blocked: 'blocked', edited: 'edited by hand', unchanged: 'unchanged', keep: 'kept',
};

export function formatChange(c: Change): string {
  const l = LABEL[c.kind];
  return `  ${l.color(`${l.sign} ${c.kind.padEnd(9)}`)} ${c.path}${c.note ? chalk.dim(`  (${c.note})`) : ''}`;
}

export function countKinds(plan: Plan): Partial<Record<ChangeKind, number>> {
  const counts: Partial<Record<ChangeKind, number>> = {};
  for (const c of plan.changes) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  return counts;
}

export function printPlan(plan: Plan, verb: string): void {
  for (const c of plan.changes) {
    if (LOUD.has(c.kind)) say(formatChange(c));
    else detail(formatChange(c));
  }
  const n = countKinds(plan);
  const parts = (Object.keys(PAST) as ChangeKind[]).filter((k) => n[k]).map((k) => `${n[k]} ${PAST[k]}`);
  say(`${verb}: ${parts.join(', ') || 'nothing to do'}`);
}

/** Versioned JSON view of a plan (for --json and --dry-run --json). */
export function planJson(plan: Plan, command: string, extra: Record<string, unknown> = {}): unknown {
  return {
    schemaVersion: 1,
    command,
    ...extra,
    changes: plan.changes.map((c) => ({ path: c.path, action: c.kind, practice: c.practice, ownership: c.ownership, ...(c.note ? { note: c.note } : {}) })),
    summary: countKinds(plan),
  };
}
