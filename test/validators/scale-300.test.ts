import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Spec } from '../../src/spec/types.js';
import { computeRepoTree } from '../../src/tree/repo.js';
import { generatedApplications } from '../helpers/argocd.js';
import { scaleSpec } from '../helpers/scale.js';
import { formatFindings, lintWorkflow } from './actionlint.js';
import { typecheckObjects, validateWithModels } from './kube-models.js';
import { kustomizeBuild, parseObjects, type KubeObject } from './kustomize.js';
import { checkRules, testRulesInBackground, type ToolResult } from './promtool.js';
import { writeRecord } from './temp-record.js';
import { haveTool } from './tool.js';
import { parseWithGitHub } from './workflow-parser.js';

/**
 * Issue 13's last proof item: the real validators, green on the 300-service tree (every
 * practice; the spec of test/engine/scale-budget.test.ts, shared through test/helpers/scale.ts),
 * rendered once, written once to a temp folder for kustomize.
 *
 * Every shared file: the GitHub workflows that are not a service's own (`_checks-go`, `_image`,
 * `_promote-staging`, promote, previews, monitoring, security, devops-check: actionlint and
 * GitHub's parser), every Argo CD file (the ApplicationSets listing 300 services, the
 * AppProjects, the Applications: kube-models), the shared kustomizations (preview guard,
 * collector, Fluent Bit, dashboards, and monitoring/kubernetes listing all 301 PrometheusRules:
 * kubectl kustomize, then kube-models on what they build, the PrometheusRules as the shared and
 * sampled files), the shared SLO rule group and its promtool test.
 *
 * SAMPLING: services are sampled deterministically, the first, the last and every 30th (svc001,
 * svc030, svc060, …, svc270, svc300: 11 of 300). For each: its ci-<service>.yml (actionlint, and
 * GitHub's parser with the reusable workflows it calls resolved from the rendered tree), `kubectl
 * kustomize` of its staging and production overlays and of deploy/previews cut to the sample,
 * kube-models on what those builds output and on the Applications the ApplicationSets generate
 * for it (the schema pass runs on all 600), promtool `check rules` on its PrometheusRule's groups
 * and `test rules` on its unit tests. The whole deploy/previews (300 overlays, 300 replacements)
 * is not built: that one build takes 12 s on an idle machine (63 to 84 s under load).
 *
 * Measured on the 2-core machine while idle (load 0): 22 s for this file's hooks and tests,
 * 32 s for `npx vitest run` on it (the suite's global build included). Under load from other
 * work: 47 to 68 s at load 7 to 9, 82 to 95 s at load 13 to 14. The foreground does the render,
 * the writes, actionlint, the parser, kustomize (28 builds, most of the time), kube-models (one
 * tsc run) and check rules; `promtool test rules` (the longest single step) runs beside them
 * on the other core from beforeAll.
 */

const SERVICES = 300;
/** The sample: first, last and every 30th, by position (1-based) in spec.services. */
const sampled = (i: number): boolean => i === 0 || i === SERVICES - 1 || (i + 1) % 30 === 0;

const WORKFLOWS = '.github/workflows/';
const SHARED_KUSTOMIZATIONS = ['deploy/preview-guard', 'observability/collector', 'logging/fluent-bit', 'monitoring/dashboards', 'monitoring/kubernetes'];
/** A copy of deploy/previews/ cut to the sampled services (written by the kustomize test). */
const PREVIEWS_SAMPLED = 'deploy/previews-sampled';
const SHARED_RULES = 'monitoring/kubernetes/slos.prometheusrule.yaml';
const SHARED_TEST = 'monitoring/tests/slos.shared.test.yml';
const TEST_FIXTURE = 'monitoring/tests/fixtures/example-services.rules.yml';
const OVERLAYS = ['staging', 'production'] as const;

const hasPromtool = haveTool('promtool');
const hasKubectl = haveTool('kubectl');

let spec: Spec;
let record: Record<string, string>;
let sample: string[];
/** The whole tree on disk, for kustomize. */
let dir: string;
/** The layout monitoring/promtool.sh builds: rules/<file>.yml beside tests/ (tests name ../rules/<file>.yml). */
let promtoolDir: string;
/** `promtool test rules`, started in beforeAll: it runs on the second core while the other validators run. */
let promtoolTests: Promise<ToolResult> | undefined;

/** ci-<service>.yml of a service, or undefined for a shared workflow. */
const serviceOfWorkflow = (path: string): string | undefined => /^\.github\/workflows\/ci-(.+)\.yml$/.exec(path)?.[1];
const ruleFiles = (): string[] => [SHARED_RULES, ...sample.map((s) => `monitoring/kubernetes/${s}-prometheusrule.yaml`)];
const testFiles = (): string[] => [SHARED_TEST, ...sample.map((s) => `monitoring/tests/${s}.test.yml`)];
/** Where promtool.sh puts a PrometheusRule's extracted groups: rules/<file>.yml. */
const extractedPath = (p: string): string => `rules/${p.split('/').pop()!.replace(/\.yaml$/, '.yml')}`;
/** monitoring/tests/x → tests/x, as promtool.sh copies the folder. */
const copiedTestPath = (p: string): string => p.replace(/^monitoring\//, '');

/** What monitoring/promtool.sh does with sed: drop everything up to the `spec:` line, unindent one level. */
function extractRules(path: string, text: string): string {
  const lines = text.split('\n');
  const at = lines.indexOf('spec:');
  if (at < 0) throw new Error(`${path}: no 'spec:' line`);
  const out = lines.slice(at + 1).map((l) => l.replace(/^ {2}/, '')).join('\n');
  if (!/^groups:/m.test(out)) throw new Error(`${path}: no 'groups:' under spec:`);
  return out;
}

beforeAll(() => {
  spec = scaleSpec(SERVICES);
  record = computeRepoTree(spec).toRecord();
  sample = spec.services.filter((_, i) => sampled(i)).map((s) => s.name);
  if (hasPromtool) {
    promtoolDir = writeRecord(
      Object.fromEntries([
        ...ruleFiles().map((p) => [extractedPath(p), extractRules(p, record[p]!)]),
        ...[...testFiles(), TEST_FIXTURE].map((p) => [copiedTestPath(p), record[p]!]),
      ]),
      'devops-init-scale-300-promtool-',
    );
    promtoolTests = testRulesInBackground(testFiles().map(copiedTestPath), promtoolDir);
  }
  // kustomize needs the files on disk; the whole tree (about 4,300 files) writes in about a second.
  dir = writeRecord(record, 'devops-init-scale-300-');
});

afterAll(async () => {
  await promtoolTests; // never leave promtool writing into a deleted folder
  for (const d of [dir, promtoolDir]) if (d) rmSync(d, { recursive: true, force: true });
});

describe(`validators on the ${SERVICES}-service tree: every shared file, services sampled (first, last, every 30th)`, () => {
  const workflows = (): [string, string][] => {
    const all = Object.entries(record).filter(([p]) => p.startsWith(WORKFLOWS) && p.endsWith('.yml'));
    const shared = all.filter(([p]) => serviceOfWorkflow(p) === undefined);
    const own = all.filter(([p]) => sample.includes(serviceOfWorkflow(p) ?? ''));
    return [...shared, ...own];
  };

  it('the sample and the shared files are what this test says it checks', () => {
    expect(sample).toEqual(['svc001', ...Array.from({ length: 10 }, (_, k) => `svc${String(30 * (k + 1)).padStart(3, '0')}`)]);
    const shared = workflows().map(([p]) => p).filter((p) => serviceOfWorkflow(p) === undefined);
    for (const name of ['_checks-go', '_image', '_promote-staging', 'promote', 'previews', 'monitoring', 'security', 'devops-check']) {
      expect(shared).toContain(`${WORKFLOWS}${name}.yml`);
    }
    for (const svc of sample) expect(record[`${WORKFLOWS}ci-${svc}.yml`], svc).toBeDefined();
  });

  it('actionlint: every shared workflow and the sampled services\' ci-<service>.yml', async () => {
    const findings: string[] = [];
    for (const [path, text] of workflows()) findings.push(...formatFindings(path, await lintWorkflow(text, path)));
    expect(findings).toEqual([]);
  });

  it("GitHub's workflow parser: the same files, calls of ./.github/workflows/_*.yml checked against the called files", async () => {
    const errors: string[] = [];
    for (const [path, text] of workflows()) for (const e of await parseWithGitHub(text, path, record)) errors.push(`${path}: ${e}`);
    expect(errors).toEqual([]);
  });

  const built = new Map<string, KubeObject[]>();

  it.runIf(hasKubectl)("kubectl kustomize: the shared kustomizations, the sampled services' staging and production overlays, the previews kustomization cut to the sample", () => {
    // deploy/previews lists all 300 preview overlays (and one replacement each): its full build
    // takes 12 s idle (see the header), so the sampled services' part of it is built instead,
    // from a copy beside it whose resources and replacements keep only theirs.
    const previews = parse(record[`${spec.gitops.dir}/previews/kustomization.yaml`]!) as { resources: string[]; replacements: { source: { name: string } }[] };
    expect(previews.resources).toHaveLength(SERVICES);
    expect(previews.replacements).toHaveLength(SERVICES);
    mkdirSync(join(dir, PREVIEWS_SAMPLED));
    writeFileSync(
      join(dir, PREVIEWS_SAMPLED, 'kustomization.yaml'),
      stringify({
        ...previews,
        resources: previews.resources.filter((r) => sample.some((s) => r === `../${s}/overlays/preview`)),
        replacements: previews.replacements.filter((r) => sample.includes(r.source.name)),
      }),
    );
    const dirs = [...SHARED_KUSTOMIZATIONS, PREVIEWS_SAMPLED, ...sample.flatMap((s) => OVERLAYS.map((o) => `${spec.gitops.dir}/${s}/overlays/${o}`))];
    const failures: string[] = [];
    for (const d of dirs) {
      const r = kustomizeBuild(join(dir, d));
      if (r.ok) built.set(d, parseObjects(r.stdout));
      else failures.push(`${d}: ${r.stderr}`);
    }
    expect(failures).toEqual([]);
    for (const s of sample) {
      for (const o of [...OVERLAYS, 'preview']) {
        const objects = built.get(o === 'preview' ? PREVIEWS_SAMPLED : `${spec.gitops.dir}/${s}/overlays/${o}`)!;
        const workload = objects.find((x) => x['kind'] === 'Deployment' && x['metadata']['name'] === s);
        expect(workload?.['metadata']['namespace'], `${s}/${o}`).toBe(`${spec.project.name}-${o}`);
      }
    }
    // All 301 PrometheusRules (and the dashboards) in one build; kube-models checks the shared and sampled ones below.
    expect(built.get('monitoring/kubernetes')!.filter((o) => o['kind'] === 'PrometheusRule')).toHaveLength(SERVICES + 1);
    built.delete('monitoring/kubernetes');
  });

  it('kube-models (schemas, then tsc for unknown fields): every Argo CD file, the Applications the ApplicationSets generate, the shared and sampled PrometheusRules, every object kustomize built', () => {
    const argocd = Object.entries(record)
      .filter(([p]) => p.startsWith(`${spec.gitops.dir}/argocd/`))
      .flatMap(([, t]) => parseObjects(t));
    const generated = generatedApplications(argocd);
    // Every service has its staging and production Application (a cheap check on all 300).
    for (const o of OVERLAYS) expect(generated.filter((a) => a['metadata']['name'].endsWith(`-${o}`)).length, o).toBe(SERVICES);
    const isSampled = (app: KubeObject) => sample.some((s) => OVERLAYS.some((o) => app['metadata']['name'] === `${spec.project.name}-${s}-${o}`));
    const sampledApps = generated.filter(isSampled);
    expect(sampledApps).toHaveLength(OVERLAYS.length * sample.length);
    const rules = ruleFiles().flatMap((p) => parseObjects(record[p]!));
    const builtObjects = [...built.values()].flat();
    if (hasKubectl) expect(builtObjects.length).toBeGreaterThan(OVERLAYS.length * sample.length * 4);
    // Pass 1 (the models' schemas) on all 600 generated Applications; pass 2 (one tsc run) on the sampled ones.
    expect(validateWithModels([...argocd, ...generated, ...rules, ...builtObjects])).toEqual([]);
    expect(typecheckObjects([...argocd, ...sampledApps, ...rules, ...builtObjects])).toEqual([]);
  });

  it.runIf(hasPromtool)("promtool check rules (--lint=all --lint-fatal): the shared group and the sampled services' PrometheusRules, extracted as monitoring/promtool.sh does", () => {
    const r = checkRules(ruleFiles().map(extractedPath), promtoolDir);
    expect(r.code, r.output).toBe(0);
    expect(r.output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(ruleFiles().length);
  });

  it.runIf(hasPromtool)("promtool test rules: the shared test and the sampled services' tests (started in beforeAll, beside the others)", async () => {
    const r = await promtoolTests!;
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toMatch(/FAILED/);
    expect(r.output.match(/SUCCESS/g)).toHaveLength(testFiles().length);
  });
});
