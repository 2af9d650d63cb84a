import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hashContent } from '../../src/lock/hash.js';
import { renderInputsDigest } from '../../src/lock/inputs.js';
import type { Lock, LockEntry } from '../../src/lock/lock.js';
import { parseSpec, validateRaw } from '../../src/spec/load.js';
import type { Spec } from '../../src/spec/types.js';
import type { FileSpec } from '../../src/emit/types.js';
import { computeRepoTree } from '../../src/tree/repo.js';
import { lockReuse, unchangedServices } from '../../src/tree/reuse.js';
import type { Tree } from '../../src/tree/tree.js';
import { rng } from '../faults/random.js';

/**
 * The claim `check` relies on when it does not render a file (src/tree/reuse.ts): a file that
 * names one service (FileSpec.service) renders byte-identical whatever happens to the other
 * services' entries in devops.yaml. Proven on every golden spec: each service's entry is mutated
 * (every key the practices read: port, probes, kind, language, strategy, replicas, SLOs, team,
 * required env, commands, database, name…), services are added and removed, and every file
 * `lockReuse` would take from the lock is compared with the full render of the mutated spec.
 *
 * A seeded sample of (service, mutation) pairs per case keeps this in the fast suite;
 * SCOPE_ALL=1 runs every pair of every case (minutes).
 */

const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));
const CASES = readdirSync(GOLDEN, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const ALL = process.env['SCOPE_ALL'] === '1';
const PER_CASE = 6;

type Raw = Record<string, any>;
type Mutation = { name: string; apply: (services: Raw[], i: number) => void };

const at = (services: Raw[], i: number): Raw => services[i]!;
const MUTATIONS: Mutation[] = [
  { name: 'port', apply: (s, i) => void (at(s, i)['port'] = (at(s, i)['port'] ?? 8080) + 1) },
  { name: 'healthPath', apply: (s, i) => void (at(s, i)['healthPath'] = '/mutated/health') },
  { name: 'probes tcp', apply: (s, i) => void (at(s, i)['probes'] = { type: 'tcp' }) },
  { name: 'kind worker', apply: (s, i) => void (at(s, i)['kind'] = 'worker') },
  { name: 'kind cronjob', apply: (s, i) => void Object.assign(at(s, i), { kind: 'cronjob', schedule: '*/5 * * * *' }) },
  { name: 'language version', apply: (s, i) => void (at(s, i)['version'] = '99') },
  { name: 'language python', apply: (s, i) => void Object.assign(at(s, i), { language: 'python', version: '3.12', packageManager: 'uv', commands: { install: 'uv sync --frozen', test: 'uv run pytest' } }) },
  { name: 'strategy canary', apply: (s, i) => void (at(s, i)['deploy'] = { ...at(s, i)['deploy'], strategy: 'canary' }) },
  { name: 'strategy bluegreen + flags', apply: (s, i) => void (at(s, i)['deploy'] = { ...at(s, i)['deploy'], strategy: 'bluegreen', featureFlags: true }) },
  { name: 'replicas', apply: (s, i) => void (at(s, i)['deploy'] = { ...at(s, i)['deploy'], replicas: { staging: { min: 1, max: 2 }, production: { min: 4, max: 9 } } }) },
  { name: 'resources', apply: (s, i) => void (at(s, i)['deploy'] = { ...at(s, i)['deploy'], resources: { cpu: '300m', memory: '300Mi', memoryLimit: '600Mi' } }) },
  { name: 'no SLOs', apply: (s, i) => void (at(s, i)['slos'] = []) },
  { name: 'SLO objective', apply: (s, i) => void (at(s, i)['slos'] = [{ name: 'availability', kind: 'availability', objective: 99.5 }, { name: 'latency', kind: 'latency', objective: 99, thresholdMs: 900 }]) },
  { name: 'team', apply: (s, i) => void (at(s, i)['team'] = 'mutants') },
  { name: 'required env', apply: (s, i) => void (at(s, i)['requiredEnv'] = ['MUTATED_TOKEN']) },
  { name: 'commands', apply: (s, i) => void (at(s, i)['commands'] = { ...at(s, i)['commands'], install: 'make deps', test: 'make mutated-test', lint: 'make lint' }) },
  { name: 'test services', apply: (s, i) => void (at(s, i)['testServices'] = [{ name: 'redis', image: 'redis:7', port: 6379 }]) },
  { name: 'database', apply: (s, i) => void (at(s, i)['database'] = 'postgres') },
  { name: 'start', apply: (s, i) => void (at(s, i)['start'] = 'mutated --serve') },
  { name: 'rename', apply: (s, i) => void (at(s, i)['name'] = `${at(s, i)['name']}-renamed`) },
  { name: 'move', apply: (s, i) => void Object.assign(at(s, i), { path: `moved/${at(s, i)['name']}`, dockerfile: `moved/${at(s, i)['name']}/Dockerfile` }) },
  { name: 'remove', apply: (s, i) => void s.splice(i, 1) },
  { name: 'metrics requestDuration', apply: (s, i) => void (at(s, i)['metrics'] = { requestDuration: 'mutated_request_duration_seconds' }) },
  { name: 'metrics selector', apply: (s, i) => void (at(s, i)['metrics'] = { selector: { job: 'mutated' } }) },
  { name: 'adopt helm manifests', apply: (s, i) => void (at(s, i)['manifests'] = { kind: 'helm', path: `charts/${at(s, i)['name']}` }) },
  { name: 'adopt kustomize manifests', apply: (s, i) => void (at(s, i)['manifests'] = { kind: 'kustomize', path: `k8s/${at(s, i)['name']}` }) },
  { name: 'prebuild', apply: (s, i) => void (at(s, i)['commands'] = { ...at(s, i)['commands'], prebuild: 'make mutated-prebuild' }) },
  { name: 'no lint', apply: (s, i) => void (at(s, i)['commands'] = { ...at(s, i)['commands'], lint: '' }) },
  { name: 'no test', apply: (s, i) => void (at(s, i)['commands'] = { ...at(s, i)['commands'], test: '' }) },
  { name: 'dockerfile elsewhere', apply: (s, i) => void (at(s, i)['dockerfile'] = `docker/${at(s, i)['name']}.Dockerfile`) },
  { name: 'buildContext', apply: (s, i) => void (at(s, i)['buildContext'] = '.') },
  { name: 'path root', apply: (s, i) => void Object.assign(at(s, i), { path: '.', dockerfile: 'Dockerfile' }) },
  { name: 'kind grpc', apply: (s, i) => void (at(s, i)['kind'] = 'grpc') },
  { name: 'language node npm', apply: (s, i) => void Object.assign(at(s, i), { language: 'node', version: '22', packageManager: 'npm', commands: { install: 'npm ci', test: 'npm test' } }) },
  { name: 'language java', apply: (s, i) => void Object.assign(at(s, i), { language: 'java', version: '21', packageManager: 'maven', commands: { install: 'mvn -B dependency:go-offline', test: 'mvn -B test' } }) },
  { name: 'flags only', apply: (s, i) => void (at(s, i)['deploy'] = { ...at(s, i)['deploy'], featureFlags: true }) },
  { name: 'only one SLO', apply: (s, i) => void (at(s, i)['slos'] = [{ name: 'availability', kind: 'availability', objective: 99 }]) },
  { name: 'swap with next', apply: (s, i) => void (i + 1 < s.length && ([s[i], s[i + 1]] = [s[i + 1]!, s[i]!])) },
  { name: 'add a sibling after', apply: (s, i) => void s.splice(i + 1, 0, { ...structuredClone(at(s, i)), name: 'sibling-added', path: 'services/sibling-added', dockerfile: 'services/sibling-added/Dockerfile' }) },
];

const root = mkdtempSync(join(tmpdir(), 'devops-init-scope-')); // no template overrides
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The lock sync would write for this render (the parts lockReuse reads). */
function lockOf(raw: Raw, tree: Tree): Lock {
  const files = Object.create(null) as Record<string, LockEntry>;
  for (const p of tree.paths()) {
    const f = tree.get(p)!;
    files[p] = { practice: f.practice, ownership: f.ownership, hash: hashContent(f.content) };
  }
  return { version: 1, tool: 'test', practices: [], spec: structuredClone(raw), files, skipped: [], renderInputs: renderInputsDigest(root, raw)! };
}

function spec(raw: Raw): Spec | undefined {
  const r = validateRaw(raw);
  return 'spec' in r ? r.spec : undefined;
}

describe('files that name one service render the same whatever the other services are', () => {
  let checkedFiles = 0;
  let appliedMutations = 0;
  for (const name of CASES) {
    it(name, () => {
      const raw = parseSpec(readFileSync(join(GOLDEN, name, 'devops.yaml'), 'utf8')).raw as Raw;
      const baseSpec = spec(raw)!;
      const base = computeRepoTree(baseSpec);
      const lock = lockOf(raw, base);
      const n = (raw['services'] as Raw[]).length;
      // Every (service, mutation) pair, or a seeded sample that differs per case.
      const pairs = Array.from({ length: n }, (_, i) => MUTATIONS.map((m) => [i, m] as const)).flat();
      const next = rng([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)).next;
      const chosen = ALL ? pairs : Array.from({ length: Math.min(PER_CASE, pairs.length) }, () => pairs.splice(Math.floor(next() * pairs.length), 1)[0]!);
      let applied = 0;
      for (const [i, m] of chosen) {
        const mutated = structuredClone(raw);
        m.apply(mutated['services'], i);
        const mutatedSpec = spec(mutated);
        if (!mutatedSpec) continue; // not valid for this case (e.g. a database without iac)
        let full: Tree;
        try {
          full = computeRepoTree(mutatedSpec);
        } catch {
          continue; // a spec the render refuses (a path collision a move made)
        }
        applied++;
        const reused: string[] = [];
        const known = lockReuse(root, mutated, mutatedSpec, lock);
        const recording = known && ((f: FileSpec) => {
          const h = known(f);
          if (h !== undefined) reused.push(f.path);
          return h;
        });
        const tree = computeRepoTree(mutatedSpec, undefined, undefined, recording);
        expect(tree.paths()).toEqual(full.paths());
        for (const p of reused) {
          const truth = full.get(p)!;
          expect(hashContent(truth.content), `${name}: ${m.name} of service ${i} changed ${p}, which names service ${truth.service} (FileSpec.service claims it reads only that service)`).toBe(tree.get(p)!.hash);
        }
        // The services the mutation did not touch (before it in the list) do reuse their files.
        if (i > 0) expect(reused.length, `${name}: ${m.name} of service ${i}: nothing reused`).toBeGreaterThan(0);
        checkedFiles += reused.length;
      }
      appliedMutations += applied;
      expect(applied, `${name}: no mutation applied`).toBeGreaterThan(0);
    });
  }
  it('checked a meaningful number of files', () => {
    expect(appliedMutations).toBeGreaterThan(CASES.length);
    expect(checkedFiles).toBeGreaterThan(100);
  });
});

describe('unchangedServices', () => {
  const raw = parseSpec(readFileSync(join(GOLDEN, 'shop', 'devops.yaml'), 'utf8')).raw as Raw;
  const s = spec(raw)!;
  const names = s.services.map((x) => x.name);

  it('is every service when nothing changed, and none when a setting outside services changed', () => {
    expect([...unchangedServices(raw, structuredClone(raw), s)]).toEqual(names);
    const other = structuredClone(raw);
    other['project'] = { ...other['project'], name: 'renamed' };
    expect(unchangedServices(other, raw, s).size).toBe(0);
  });

  it('leaves out a changed service, and every service after an insertion (positions count)', () => {
    const one = structuredClone(raw);
    one['services'][1]['port'] = 9999;
    expect([...unchangedServices(one, raw, spec(one)!)]).toEqual(names.filter((_, i) => i !== 1));
    const inserted = structuredClone(raw);
    inserted['services'].splice(1, 0, { ...structuredClone(raw['services'][0]), name: 'inserted', path: 'inserted', dockerfile: 'inserted/Dockerfile' });
    expect([...unchangedServices(inserted, raw, spec(inserted)!)]).toEqual([names[0]]);
  });

  it('counts key order (it can order output) and moving the services key', () => {
    const reordered = structuredClone(raw);
    const svc = reordered['services'][0];
    reordered['services'][0] = Object.fromEntries(Object.entries(svc).reverse());
    expect(unchangedServices(reordered, raw, s).has(names[0]!)).toBe(false);
    const { services, ...rest } = structuredClone(raw);
    expect(unchangedServices({ services, ...rest }, raw, s).size).toBe(0);
  });

  it('lockReuse declines when the lock snapshot does not match its digest (an override or the tool changed)', () => {
    const tree = computeRepoTree(s);
    const lock = lockOf(raw, tree);
    expect(lockReuse(root, raw, s, lock)).toBeDefined();
    expect(lockReuse(root, raw, s, { ...lock, renderInputs: 'sha256-' + '0'.repeat(64) })).toBeUndefined();
    const { renderInputs: _, ...noDigest } = lock;
    expect(lockReuse(root, raw, s, noDigest)).toBeUndefined();
  });
});
