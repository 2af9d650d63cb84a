import { UsageError } from '../errors.js';
import { COMMON_MISTAKES, HANDBOOK_INTRO, PRODUCTION_TIPS } from '../data/handbook.js';
import { PRACTICES } from '../practices/index.js';
import type { Practice } from '../practices/types.js';
import { PRACTICE_IDS } from '../spec/types.js';
import { chalk, emitJson, say } from '../ui/output.js';
import type { GlobalOptions } from './context.js';

function wrap(text: string, width = 88, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = indent;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line.length + word.length + 1 > width && line.trim()) {
        out.push(line.trimEnd());
        line = indent;
      }
      line += word + ' ';
    }
    out.push(line.trimEnd());
  }
  return out.join('\n');
}

function printPractice(p: Practice): void {
  const h = p.handbook;
  say(chalk.bold(`${p.title} (${p.id})`) + ` — ${h.summary}`);
  say();
  say(chalk.bold('What'));
  say(wrap(h.what, 88, '  '));
  say(chalk.bold('Why'));
  say(wrap(h.why, 88, '  '));
  say(chalk.bold('Pros'));
  for (const x of h.pros) say(`  + ${x}`);
  say(chalk.bold('Cons'));
  for (const x of h.cons) say(`  - ${x}`);
  say(chalk.bold('Best for') + `  ${h.bestFor}`);
  if (p.providers) {
    say(chalk.bold('Providers') + `  (${p.providers.key} in devops.yaml)`);
    for (const c of p.providers.choices) say(`  ${c.value.padEnd(8)} ${c.name}${c.description ? ` — ${c.description}` : ''}`);
  }
  for (const n of h.notes ?? []) {
    say();
    say(n);
  }
}

/** `devops-init explain [practice]`: the handbook text behind a practice (or an overview). */
export async function runExplain(practice: string | undefined, opts: GlobalOptions): Promise<number> {
  if (practice === undefined) {
    if (opts.json) {
      emitJson({ schemaVersion: 1, intro: HANDBOOK_INTRO, practices: PRACTICES.map((p) => ({ id: p.id, title: p.title, ...p.handbook })), commonMistakes: COMMON_MISTAKES, productionTips: PRODUCTION_TIPS });
      return 0;
    }
    say(wrap(HANDBOOK_INTRO));
    say();
    for (const p of PRACTICES) say(`  ${p.id.padEnd(14)} ${p.handbook.summary}`);
    say();
    say(chalk.bold('Common mistakes'));
    for (const m of COMMON_MISTAKES) say(`  ! ${m}`);
    say(chalk.bold('Production tips'));
    for (const t of PRODUCTION_TIPS) say(`  * ${t}`);
    say(chalk.dim('\nRun `devops-init explain <practice>` for one practice in depth.'));
    return 0;
  }
  const p = PRACTICES.find((x) => x.id === practice);
  if (!p) {
    const known = PRACTICE_IDS.includes(practice as never);
    throw new UsageError(
      known ? `The ${practice} practice is planned but not part of this version yet.` : `Unknown practice "${practice}".`,
      `Known practices: ${PRACTICES.map((x) => x.id).join(', ')}.`,
    );
  }
  if (opts.json) emitJson({ schemaVersion: 1, id: p.id, title: p.title, ...p.handbook, ...(p.providers ? { providers: p.providers } : {}) });
  else printPractice(p);
  return 0;
}
