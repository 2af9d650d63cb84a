import { Option } from 'commander';
import { UsageError } from '../errors.js';
import type { Answers, Question, SpecEdit } from '../practices/types.js';
import type { Spec } from '../spec/types.js';
import { promptConfirm, promptInput, promptSelect } from './prompt.js';

export interface AskContext {
  interactive: boolean;
  /** Parsed command-line options (commander attribute names). */
  flags: Record<string, unknown>;
  /** devops.yaml as written (answers found there win over prompts); undefined for init. */
  raw?: Record<string, unknown>;
}

/** The commander attribute a question's flag parses into (e.g. "--feature-flags" → featureFlags). */
export function flagAttribute(q: Question): string {
  return new Option(q.flag).attributeName();
}

function checkValue(q: Question, value: string | boolean, source: string): string | boolean {
  if (typeof value === 'string') {
    if (q.choices && !q.choices.some((c) => c.value === value)) {
      throw new UsageError(`${source}: "${value}" is not one of ${q.choices.map((c) => c.value).join(', ')}.`);
    }
    const err = q.validate?.(value);
    if (err) throw new UsageError(`${source} ${JSON.stringify(value)}: ${err}`);
  }
  return value;
}

function has(raw: unknown, path: (string | number)[]): boolean {
  let cur: any = raw;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !(k in cur)) return false;
    cur = cur[k];
  }
  return true;
}

/**
 * The answer devops.yaml holds for a question: only when the keys the question would
 * write are really in the file (defaults filled in by normalize don't count).
 */
function fromSpecFile(q: Question, spec: Spec, raw: Record<string, unknown> | undefined, service?: number): string | boolean | undefined {
  if (!raw) return undefined;
  const paths = q.apply(spec, q.default(spec, {}, service), service).map((e) => e.path);
  if (paths.length === 0 || !paths.every((p) => has(raw, p))) return undefined;
  return q.current(spec, service);
}

async function ask(q: Question, spec: Spec, ctx: AskContext, answers: Answers, service?: number): Promise<string | boolean> {
  const fromFile = fromSpecFile(q, spec, ctx.raw, service);
  if (fromFile !== undefined) return fromFile;
  const def = q.default(spec, answers, service);
  if (!ctx.interactive) return def;
  const name = service !== undefined ? spec.services[service]?.name : undefined;
  const message = name && spec.services.length > 1 ? `${name}: ${q.message}` : q.message;
  switch (q.kind) {
    case 'select':
      return promptSelect(message, q.choices ?? [], String(def));
    case 'confirm':
      return promptConfirm(message, Boolean(def));
    case 'input':
      return promptInput(message, String(def), q.validate);
  }
}

/** True when a follow-up question is moot: the question it informs is answered already. */
function moot(q: Question, all: Question[], spec: Spec, ctx: AskContext): boolean {
  if (!q.informs) return false;
  const target = all.find((x) => x.id === q.informs);
  if (!target) return false;
  if (ctx.flags[flagAttribute(target)] !== undefined) return true;
  const services = target.perService ? spec.services.map((_s, i) => i) : [undefined];
  return services.every((i) => fromSpecFile(target, spec, ctx.raw, i) !== undefined);
}

/**
 * Answer questions in order — flag > devops.yaml > prompt > default (DESIGN.md "ask") —
 * and return the edits that record the answers. Never prompts when not interactive.
 */
export async function answerAll(questions: Question[], spec: Spec, ctx: AskContext, applyEdits: (edits: SpecEdit[]) => Spec): Promise<SpecEdit[]> {
  const all: SpecEdit[] = [];
  const answers: Answers = {};
  let current = spec;
  // Re-normalizing the spec after each answer is the cost of asking; a question with no
  // edits (a follow-up) changes nothing, and a per-service question's answers touch only
  // their own service, so they are recorded together once every service is answered.
  const record = (edits: SpecEdit[]) => {
    if (edits.length === 0) return;
    all.push(...edits);
    current = applyEdits(edits);
  };
  for (const q of questions) {
    if (moot(q, questions, current, ctx)) continue;
    const flag = ctx.flags[flagAttribute(q)];
    const flagValue = flag === undefined ? undefined : checkValue(q, flag as string | boolean, q.flag.split(' ')[0]!);
    if (!q.perService) {
      const value = flagValue ?? (await ask(q, current, ctx, answers));
      answers[q.id] = value;
      record(q.apply(current, value));
      continue;
    }
    const edits: SpecEdit[] = [];
    for (let i = 0; i < current.services.length; i++) {
      const value = flagValue ?? (await ask(q, current, ctx, answers, i));
      answers[`${q.id}@${i}`] = value;
      edits.push(...q.apply(current, value, i));
    }
    record(edits);
  }
  return all;
}
