import { parse } from 'yaml';

type Obj = Record<string, any>;

/** `uses: owner/repo[/path]@<40 hex> # <tag>` on the raw line. */
const PINNED_USES = /^\s*(- )?uses: [A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@[0-9a-f]{40} # \S+$/;

/**
 * The hardening rules every generated workflow must satisfy; returns the violations
 * (empty = compliant). Checked on the parsed YAML, plus raw lines for pin comments.
 */
export function workflowViolations(path: string, text: string): string[] {
  const out: string[] = [];
  const bad = (msg: string) => out.push(`${path}: ${msg}`);
  for (const line of text.split('\n')) {
    if (/^\s*(- )?uses:/.test(line) && !PINNED_USES.test(line)) bad(`unpinned or uncommented action: ${line.trim()}`);
  }
  if (text.includes('pull_request_target')) bad('uses pull_request_target');
  const wf = parse(text) as Obj;
  const on = wf['on'] as Obj;
  if (on && typeof on === 'object' && 'pull_request_target' in on) bad('triggers on pull_request_target');
  if (JSON.stringify(wf['permissions']) !== JSON.stringify({ contents: 'read' })) {
    bad(`workflow permissions are ${JSON.stringify(wf['permissions'])}, not {contents: read}`);
  }
  if (!wf['concurrency']?.group) bad('no concurrency group');
  for (const [id, job] of Object.entries(wf['jobs'] as Obj)) {
    if (typeof job['timeout-minutes'] !== 'number') bad(`job ${id} has no timeout-minutes`);
    if (!job['runs-on']) bad(`job ${id} has no runs-on`);
    for (const [i, step] of ((job['steps'] ?? []) as Obj[]).entries()) {
      if (typeof step['run'] === 'string' && step['run'].includes('${{')) bad(`jobs.${id}.steps[${i}] has \${{ in run:`);
      if (typeof step['uses'] === 'string' && step['uses'].startsWith('actions/checkout@')) {
        if (step['with']?.['persist-credentials'] !== false) bad(`jobs.${id}.steps[${i}] checkout persists credentials`);
      }
    }
  }
  return out;
}

/** All workflow files of a rendered record. */
export function workflowsOf(record: Record<string, string>): [string, string][] {
  return Object.entries(record).filter(([p]) => p.startsWith('.github/workflows/'));
}
