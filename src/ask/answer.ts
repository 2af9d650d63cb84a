import { Option } from 'commander';
import { UsageError } from '../errors.js';
import type { Question, SpecEdit } from '../practices/types.js';
import type { Spec } from '../spec/types.js';
import { promptConfirm, promptInput, promptSelect } from './prompt.js';

export interface AskContext {
  interactive: boolean;
  /** Parsed command-line options (commander attribute names). */
  flags: Record<string, unknown>;
  /** True when devops.yaml already holds answers that should win over prompts (add, sync). */
  useSpecAnswers: boolean;
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
    if (err) throw new UsageError(`${source}: ${err}`);
  }
  return value;
}

/**
 * Answer one question: flag > devops.yaml > prompt > default (DESIGN.md "ask").
 * Never prompts when not interactive.
 */
export async function answer(q: Question, spec: Spec, ctx: AskContext): Promise<string | boolean> {
  const flag = ctx.flags[flagAttribute(q)];
  if (flag !== undefined) return checkValue(q, flag as string | boolean, q.flag.split(' ')[0]!);
  if (ctx.useSpecAnswers) {
    const cur = q.current(spec);
    if (cur !== undefined) return cur;
  }
  const def = q.default(spec);
  if (!ctx.interactive) return def;
  switch (q.kind) {
    case 'select':
      return promptSelect(q.message, q.choices ?? [], String(def));
    case 'confirm':
      return promptConfirm(q.message, Boolean(def));
    case 'input':
      return promptInput(q.message, String(def), q.validate);
  }
}

/** Answer a list of questions in order, returning the edits that record the answers. */
export async function answerAll(questions: Question[], spec: Spec, ctx: AskContext, applyEdits: (edits: SpecEdit[]) => Spec): Promise<SpecEdit[]> {
  const all: SpecEdit[] = [];
  let current = spec;
  for (const q of questions) {
    const value = await answer(q, current, ctx);
    const edits = q.apply(current, value);
    all.push(...edits);
    current = applyEdits(edits);
  }
  return all;
}
