import { parse } from 'yaml';

type Obj = Record<string, any>;

/** `uses: owner/repo[/path]@<40 hex> # <tag>` on the raw line. */
const PINNED_USES = /^\s*(- )?uses: [A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@[0-9a-f]{40} # \S+$/;

/** A job calling a reusable workflow of this repository: same commit, nothing to pin. */
const LOCAL_WORKFLOW = /^\s*uses: \.\/\.github\/workflows\/[A-Za-z0-9_.-]+\.ya?ml$/;

/**
 * The hardening rules every generated workflow must satisfy; returns the violations
 * (empty = compliant). Checked on the parsed YAML, plus raw lines for pin comments.
 */
export function workflowViolations(path: string, text: string): string[] {
  const out: string[] = [];
  const bad = (msg: string) => out.push(`${path}: ${msg}`);
  for (const line of text.split('\n')) {
    if (/^\s*(- )?uses:/.test(line) && !PINNED_USES.test(line) && !LOCAL_WORKFLOW.test(line)) bad(`unpinned or uncommented action: ${line.trim()}`);
  }
  if (text.includes('pull_request_target')) bad('uses pull_request_target');
  const wf = parse(text) as Obj;
  const on = wf['on'] as Obj;
  if (on && typeof on === 'object' && 'pull_request_target' in on) bad('triggers on pull_request_target');
  if (JSON.stringify(wf['permissions']) !== JSON.stringify({ contents: 'read' })) {
    bad(`workflow permissions are ${JSON.stringify(wf['permissions'])}, not {contents: read}`);
  }
  // A reusable workflow (only `workflow_call`) runs inside its caller's concurrency group.
  const called = on && typeof on === 'object' && Object.keys(on).length === 1 && 'workflow_call' in on;
  if (!called && !wf['concurrency']?.group) bad('no concurrency group');
  for (const [id, job] of Object.entries(wf['jobs'] as Obj)) {
    if (typeof job['uses'] === 'string') {
      // A caller job: the called workflow's jobs carry timeouts and runners (checked in that
      // file); this job names a local reusable workflow, its permissions, and no inherited secrets.
      if (!job['uses'].startsWith('./.github/workflows/')) bad(`job ${id} calls a workflow outside this repository: ${job['uses']}`);
      if (job['secrets'] === 'inherit') bad(`job ${id} passes secrets: inherit`);
      if (job['permissions'] === undefined) bad(`job ${id} calls a workflow without saying what it grants it`);
      continue;
    }
    if (called && !job['permissions']) bad(`called job ${id} does not narrow its permissions`);
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

const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };

/** A job's or workflow's permissions as scope → level (a string form such as read-all is not used here). */
function scopes(p: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (p && typeof p === 'object') for (const [k, v] of Object.entries(p as Obj)) out[k] = LEVEL[String(v)] ?? -1;
  return out;
}

/**
 * The contract between thin callers and the reusable workflows they call, which neither
 * actionlint nor the parser checks: GitHub refuses to start a run (startup_failure) when a called
 * workflow or any of its jobs asks for a scope the calling job did not grant, and a called job
 * that does not narrow would run with everything the caller granted.
 */
export function callViolations(record: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [path, text] of workflowsOf(record)) {
    const wf = parse(text) as Obj;
    for (const [id, job] of Object.entries((wf['jobs'] ?? {}) as Obj)) {
      if (typeof job['uses'] !== 'string' || !job['uses'].startsWith('./')) continue;
      const target = job['uses'].slice(2);
      const calledText = record[target];
      if (calledText === undefined) {
        out.push(`${path}: job ${id} calls ${target}, which is not rendered`);
        continue;
      }
      const called = parse(calledText) as Obj;
      const granted = scopes(job['permissions'] ?? wf['permissions']);
      const asks: [string, unknown][] = [['the workflow', called['permissions']], ...Object.entries((called['jobs'] ?? {}) as Obj).map(([j, cj]) => [`job ${j}`, (cj as Obj)['permissions']] as [string, unknown])];
      for (const [who, perms] of asks) {
        if (perms === undefined) {
          out.push(`${target}: ${who} does not narrow its permissions`);
          continue;
        }
        for (const [scope, level] of Object.entries(scopes(perms))) {
          if (level > (granted[scope] ?? 0)) out.push(`${path}: job ${id} grants ${scope}: ${Object.keys(LEVEL)[granted[scope] ?? 0]}, but ${who} of ${target} asks for ${Object.keys(LEVEL)[level]}`);
        }
      }
    }
  }
  return out;
}

/**
 * A service workflow as GitHub runs it: each job that calls a local reusable workflow replaced
 * by the called workflow's jobs, with the caller's `with:` values in place of `${{ inputs.x }}`,
 * jobs and steps whose `if:` is `inputs.x != ''` dropped when the input is empty, and a step that
 * runs its command through `eval "$COMMAND"` shown with that command as its `run:` (what the
 * shell executes). For tests that assert what runs, not how the files are split.
 */
export function resolveWorkflow(record: Record<string, string>, path: string): Obj {
  const wf = parse(record[path]!) as Obj;
  const jobs: Obj = {};
  // A caller job's id → the jobs it expanded to (what a `needs:` on it waits for).
  const expanded: Record<string, string[]> = {};
  const mapNeeds = (needs: unknown): string[] | undefined =>
    needs === undefined ? undefined : ([] as string[]).concat(needs as string[]).flatMap((n) => expanded[n] ?? [n]);
  for (const [id, job] of Object.entries((wf['jobs'] ?? {}) as Obj)) {
    if (typeof job['uses'] !== 'string' || !job['uses'].startsWith('./')) {
      jobs[id] = job;
      expanded[id] = [id];
      continue;
    }
    expanded[id] = [];
    const called = parse(record[job['uses'].slice(2)]!) as Obj;
    const declared = (called['on']['workflow_call']['inputs'] ?? {}) as Obj;
    const inputs: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(declared)) inputs[name] = (job['with'] ?? {})[name] ?? spec['default'] ?? '';
    const sub = (v: unknown): unknown => {
      if (typeof v === 'string') {
        const whole = /^\$\{\{ inputs\.([A-Za-z0-9_-]+) \}\}$/.exec(v);
        if (whole) return inputs[whole[1]!];
        const either = /^\$\{\{ inputs\.([A-Za-z0-9_-]+) \|\| inputs\.([A-Za-z0-9_-]+) \}\}$/.exec(v);
        if (either) return inputs[either[1]!] || inputs[either[2]!];
        return v.replace(/\$\{\{ inputs\.([A-Za-z0-9_-]+) \}\}/g, (_m, n: string) => String(inputs[n]));
      }
      if (Array.isArray(v)) return v.map(sub);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]));
      return v;
    };
    const skipped = (cond: unknown) => {
      const m = typeof cond === 'string' ? /^inputs\.([A-Za-z0-9_-]+) != ''$/.exec(cond) : null;
      return m ? inputs[m[1]!] === '' : false;
    };
    for (const [cid, cjob] of Object.entries(called['jobs'] as Obj)) {
      if (skipped(cjob['if'])) continue;
      const r = sub(cjob) as Obj;
      if (r['if'] && /^inputs\./.test(String(cjob['if']))) delete r['if'];
      // A called job with no needs of its own starts when the calling job's needs are done.
      if (r['needs'] === undefined && job['needs'] !== undefined) r['needs'] = mapNeeds(job['needs']);
      if (job['if'] !== undefined) r['if'] = r['if'] === undefined ? job['if'] : `(${job['if']}) && (${r['if']})`;
      r['steps'] = ((r['steps'] ?? []) as Obj[]).filter((_s, i) => !skipped((cjob['steps'] as Obj[])[i]!['if'])).map((s) => {
        const step = { ...s };
        if (step['if'] && /^inputs\./.test(String(step['if']))) delete step['if'];
        if (step['run'] === 'eval "$COMMAND"' && step['env']?.['COMMAND'] !== undefined) {
          step['run'] = step['env']['COMMAND'];
          const { COMMAND: _c, ...env } = step['env'];
          if (Object.keys(env).length) step['env'] = env;
          else delete step['env'];
        }
        return step;
      });
      jobs[cid] = r;
      expanded[id]!.push(cid);
    }
  }
  return { ...wf, jobs };
}
