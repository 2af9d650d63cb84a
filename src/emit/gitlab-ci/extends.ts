/**
 * GitLab's `extends`, as GitLab documents it ("extends" in the CI/CD YAML reference, and
 * gitlab-org/gitlab!72511): a reverse deep merge. Hashes (variables, id_tokens, artifacts,
 * environment, image) are merged key by key at any depth, the extending job's keys winning;
 * everything else, arrays included (script, before_script, rules, needs, cache, services), is
 * replaced whole. With several parents, later ones win over earlier ones, and the job's own
 * keys over all of them. A parent may itself extend others.
 *
 * The emitter uses both directions: `thinOverlay` writes a per-service job as what differs from
 * the shared template it extends, and `resolveExtends` (tests, doctor) computes the job GitLab
 * runs. `resolveExtends(thinOverlay(full, base)) === full` is what the tests prove on every case
 * (and gitlab-ci-local's `--preview` agrees with it, test/validators/gitlab-templates.test.ts).
 */

type Obj = Record<string, unknown>;

const isHash = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Deep equality of plain data (key order ignored). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  if (isHash(a) && isHash(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameData(a[k], b[k]));
  }
  return false;
}

/** GitLab's merge of a job over what it extends: hashes deep-merged, everything else replaced. */
export function mergeOver(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = isHash(b) && isHash(v) ? mergeOver(b, v) : v;
  }
  return out;
}

/**
 * What a job must say on top of `base` so that GitLab's merge gives exactly `full`: the keys
 * whose value differs (hashes recursively, arrays and scalars whole). A key the base has and
 * the job must not have cannot be expressed without `null`, which the emitter never writes:
 * that is a template that says too much, and an error here rather than a wrong pipeline.
 */
export function thinOverlay(full: Obj, base: Obj, where = 'job'): Obj {
  const out: Obj = {};
  for (const [k, b] of Object.entries(base)) {
    if (b !== undefined && full[k] === undefined) throw new Error(`${where}: the template sets ${k}, which this job must not have`);
  }
  for (const [k, v] of Object.entries(full)) {
    if (v === undefined) continue;
    const b = base[k];
    if (isHash(v) && isHash(b)) {
      const sub = thinOverlay(v, b, `${where}.${k}`);
      if (Object.keys(sub).length) out[k] = sub;
    } else if (!sameData(v, b)) {
      out[k] = v;
    }
  }
  return out;
}

const parentsOf = (job: Obj): string[] => {
  const e = job['extends'];
  return typeof e === 'string' ? [e] : Array.isArray(e) ? e.map(String) : [];
};

/**
 * Every job of a merged configuration (all included files' top-level keys) with its `extends`
 * resolved, GitLab's way. Unknown parents and cycles throw (GitLab rejects them too).
 */
export function resolveExtends(jobs: Record<string, Obj>): Record<string, Obj> {
  const done = new Map<string, Obj>();
  const resolve = (name: string, seen: string[]): Obj => {
    const cached = done.get(name);
    if (cached) return cached;
    const job = jobs[name];
    if (!job) throw new Error(`${seen.at(-1) ?? name}: extends ${name}, which is not defined`);
    if (seen.includes(name)) throw new Error(`extends cycle: ${[...seen, name].join(' → ')}`);
    let base: Obj = {};
    for (const p of parentsOf(job)) base = mergeOver(base, resolve(p, [...seen, name]));
    const own = { ...job };
    delete own['extends'];
    const out = mergeOver(base, own);
    done.set(name, out);
    return out;
  };
  return Object.fromEntries(Object.keys(jobs).map((name) => [name, resolve(name, [])]));
}

/** Top-level keys of a GitLab CI file that are not jobs. */
export const GITLAB_GLOBAL_KEYWORDS: ReadonlySet<string> = new Set(['stages', 'variables', 'workflow', 'include', 'default', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);

/**
 * The jobs of a pipeline made of several files (their top-level keys merged, as `include` does),
 * each resolved through `extends`, with the file that defines it. Hidden jobs (`.name`) are
 * templates: used for resolving, not returned. A parent that no file defines leaves the job as
 * written (GitLab would reject it; the validators say so).
 */
export function gitlabJobs(files: { path: string; doc: unknown }[]): Map<string, { file: string; job: Obj }> {
  const all: Record<string, Obj> = {};
  const fileOf = new Map<string, string>();
  for (const { path, doc } of files) {
    if (!isHash(doc)) continue;
    for (const [name, job] of Object.entries(doc)) {
      if (GITLAB_GLOBAL_KEYWORDS.has(name) || !isHash(job)) continue;
      all[name] = job;
      fileOf.set(name, path);
    }
  }
  let resolved: Record<string, Obj>;
  try {
    resolved = resolveExtends(all);
  } catch {
    resolved = all;
  }
  const out = new Map<string, { file: string; job: Obj }>();
  for (const [name, job] of Object.entries(resolved)) if (!name.startsWith('.')) out.set(name, { file: fileOf.get(name)!, job });
  return out;
}
