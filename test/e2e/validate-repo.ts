import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { flagdStructureErrors } from '../practices/deploy/flagd-structure.js';
import { formatFindings, lintWorkflow } from '../validators/actionlint.js';
import { checkConfig } from '../validators/amtool.js';
import { typecheckDashboards } from '../validators/grafana.js';
import { typecheckObjects, validateWithModels } from '../validators/kube-models.js';
import { kustomizeBuild, parseObjects, type KubeObject } from '../validators/kustomize.js';
import { checkRules } from '../validators/promtool.js';
import { shellcheckWorkflows } from '../validators/shellcheck.js';
import { haveTool } from '../validators/tool.js';
import { parseWithGitHub } from '../validators/workflow-parser.js';
import { YAMLLINT_CONFIG, yamllint } from '../validators/yamllint.js';

/** Files in the work tree git sees (tracked or not, not ignored; not tracked files deleted since the last commit). */
export function repoFiles(dir: string): string[] {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: dir, encoding: 'utf8' }).split('\0');
  return listed.filter((f) => f && existsSync(join(dir, f)));
}

/**
 * Run the external validators over what a command generated in `dir`: every workflow
 * through actionlint, GitHub's parser and shellcheck; every YAML file through yamllint.
 * Returns the problems (empty = clean).
 */
export async function validateGenerated(dir: string, only?: (path: string) => boolean): Promise<string[]> {
  const files = repoFiles(dir).filter((f) => (only ? only(f) : true));
  const problems = await validateWorkflows(dir, files);
  problems.push(...yamllint(lintableYaml(files).map((f) => join(dir, f))));
  return problems;
}

/** Every workflow through actionlint, GitHub's parser and shellcheck. */
async function validateWorkflows(dir: string, files: string[]): Promise<string[]> {
  const problems: string[] = [];
  const workflows = files.filter((f) => /^\.github\/workflows\/.*\.ya?ml$/.test(f));
  const texts = workflows.map((f) => readFileSync(join(dir, f), 'utf8'));
  // shellcheck all the workflows' scripts at once (one process, not one per workflow).
  const shellcheck = await shellcheckWorkflows(texts);
  for (const [i, f] of workflows.entries()) {
    const text = texts[i]!;
    problems.push(...formatFindings(f, await lintWorkflow(text, f)));
    problems.push(...(await parseWithGitHub(text, f)).map((m) => `${f}: github parser: ${m}`));
    problems.push(...shellcheck[i]!.map((m) => `${f}: shellcheck: ${m}`));
  }
  return problems;
}

/** The YAML files that are ours to lint (not lockfiles, not the fixtures' own test data). */
function lintableYaml(files: string[]): string[] {
  return files.filter((f) => /\.ya?ml$/.test(f) && !f.includes('pnpm-lock') && !f.startsWith('test/'));
}

const isKustomization = (f: string): boolean => /(^|\/)kustomization\.ya?ml$/.test(f);

/**
 * The test config, except that block sequences may sit at their parent's indentation in
 * kustomization files: that is how `kustomize edit` writes them (CI's image edits), the
 * same exception the gitops practice tests make.
 */
function kustomizeLayoutConfig(work: string): string {
  const file = join(work, 'yamllint-kustomize.yml');
  writeFileSync(file, `extends: ${JSON.stringify(YAMLLINT_CONFIG)}\nrules:\n  indentation:\n    spaces: consistent\n    indent-sequences: whatever\n`);
  return file;
}

/** The gitops folder devops.yaml names (the schema's default otherwise). */
function gitopsDirOf(dir: string): string {
  if (!existsSync(join(dir, 'devops.yaml'))) return 'deploy';
  const spec = parse(readFileSync(join(dir, 'devops.yaml'), 'utf8')) as { gitops?: { dir?: string } } | null;
  return spec?.gitops?.dir ?? 'deploy';
}

const objectLabel = (o: KubeObject): string => `${o['kind']}/${o['metadata']?.['name'] ?? '?'}`;

/** Each distinct object once (the preview overlays are built on their own and through the previews app). */
function distinct(objects: KubeObject[]): KubeObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const key = JSON.stringify(o);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Every validator over a generated repository; returns the problems (empty = clean):
 * - workflows: actionlint, GitHub's parser, shellcheck;
 * - all YAML: yamllint (kustomization files with the kustomize sequence layout);
 * - every kustomization folder: `kubectl kustomize`; every built object and every Argo CD
 *   file: kubernetes-models validate() plus the unknown-field type check;
 * - monitoring: `promtool check rules` on the rules inside each built PrometheusRule (and any
 *   plain file under monitoring/rules), monitoring/promtool.sh (extract, check, `promtool test
 *   rules` on monitoring/tests, as CI runs it), `amtool check-config` on the
 *   Alertmanager config, and every dashboard (plain or in a ConfigMap) against @grafana/schema;
 * - feature flags: every *.flagd.json against the structure of flagd's schema.
 * A missing tool skips its check locally and fails in CI (haveTool).
 */
export async function validateAll(dir: string, only?: (path: string) => boolean): Promise<string[]> {
  const files = repoFiles(dir).filter((f) => (only ? only(f) : true));
  // promtool's rule tests are the slowest check (seconds of evaluation in their own process):
  // start them first, so they run while the checks below (most of them synchronous) do.
  const promtool = promtoolTests(dir, files);
  promtool.catch(() => {}); // awaited below; do not report a rejection before then
  const problems = await validateWorkflows(dir, files);
  const work = mkdtempSync(join(tmpdir(), 'devops-init-validate-all-'));
  try {
    if (haveTool('yamllint')) {
      const yamls = lintableYaml(files);
      problems.push(...yamllint(yamls.filter((f) => !isKustomization(f)).map((f) => join(dir, f))));
      problems.push(...yamllint(yamls.filter(isKustomization).map((f) => join(dir, f)), kustomizeLayoutConfig(work)));
    }

    const objects: KubeObject[] = [];
    if (haveTool('kubectl')) {
      for (const k of files.filter(isKustomization)) {
        const folder = dirname(k);
        const r = kustomizeBuild(join(dir, folder));
        if (!r.ok) problems.push(`${folder}: kubectl kustomize: ${r.stderr.trim()}`);
        else objects.push(...parseObjects(r.stdout));
      }
    }
    const argocd = `${gitopsDirOf(dir)}/argocd/`;
    for (const f of files.filter((f) => f.startsWith(argocd) && /\.ya?ml$/.test(f))) {
      try {
        objects.push(...parseObjects(readFileSync(join(dir, f), 'utf8')));
      } catch (e) {
        problems.push(`${f}: ${(e as Error).message}`);
      }
    }
    const unique = distinct(objects);
    problems.push(...validateWithModels(unique), ...typecheckObjects(unique));

    problems.push(...monitoringProblems(dir, files, unique, work));
    problems.push(...(await promtool));
    problems.push(...flagdProblems(dir, files));
    problems.push(...dashboardProblems(dir, files, unique));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // Repo-relative paths; one line per problem even when several builds share the object.
  return [...new Set(problems.map((p) => p.split(`${dir}/`).join('')))];
}

/** `promtool check rules` on the plain rule files and on the PrometheusRules' rules; amtool over Alertmanager. */
function monitoringProblems(dir: string, files: string[], objects: KubeObject[], work: string): string[] {
  const problems: string[] = [];
  if (haveTool('promtool')) {
    const rules = files.filter((f) => /^monitoring\/rules\/[^/]+\.ya?ml$/.test(f));
    if (rules.length) {
      const r = checkRules(rules, dir);
      if (r.code !== 0) problems.push(`promtool check rules: ${r.output}`);
    }
    const extracted = objects
      .filter((o) => o['kind'] === 'PrometheusRule')
      .map((o) => {
        const file = join(work, `${o['metadata']?.['name']}.prometheusrule.rules.yml`);
        writeFileSync(file, stringify({ groups: o['spec']?.['groups'] }));
        return file;
      });
    if (extracted.length) {
      const r = checkRules(extracted);
      if (r.code !== 0) problems.push(`promtool check rules (from PrometheusRule objects): ${r.output}`);
    }
  }
  const alertmanager = 'monitoring/alertmanager/alertmanager.yml';
  if (files.includes(alertmanager) && haveTool('amtool')) {
    const r = checkConfig(join(dir, alertmanager));
    if (r.code !== 0) problems.push(`amtool check-config ${alertmanager}: ${r.output}`);
  }
  return problems;
}

/**
 * `promtool test rules` on each file of monitoring/tests, one process per file in parallel:
 * the evaluation is CPU-bound and single-threaded (several seconds per SLO).
 */
async function promtoolTests(dir: string, files: string[]): Promise<string[]> {
  if (!haveTool('promtool')) return [];
  // Since issue 13 the rules exist only as PrometheusRules: the generated script extracts them
  // and runs promtool check and test, exactly as the CI job does.
  if (files.includes('monitoring/promtool.sh')) {
    const r = await execa('sh', ['monitoring/promtool.sh'], { cwd: dir, reject: false, all: true });
    return r.exitCode === 0 ? [] : [`promtool test rules: ${r.all}`];
  }
  const tests = files.filter((f) => /^monitoring\/tests\/[^/]+\.ya?ml$/.test(f));
  const runs = await Promise.all(tests.map((f) => execa('promtool', ['test', 'rules', f], { cwd: dir, reject: false, all: true })));
  return runs.flatMap((r) => (r.exitCode === 0 ? [] : [`promtool test rules: ${r.all}`]));
}

/** Every flagd flag file against the structural rules of flagd's schema. */
function flagdProblems(dir: string, files: string[]): string[] {
  return files
    .filter((f) => f.endsWith('.flagd.json'))
    .flatMap((f) => {
      try {
        return flagdStructureErrors(JSON.parse(readFileSync(join(dir, f), 'utf8'))).map((m) => `${f}: flagd: ${m}`);
      } catch (e) {
        return [`${f}: invalid JSON: ${(e as Error).message}`];
      }
    });
}

/** Every Grafana dashboard: plain .json files under monitoring/ and the JSON in dashboard ConfigMaps. */
function dashboardProblems(dir: string, files: string[], objects: KubeObject[]): string[] {
  const dashboards: { name: string; json: unknown }[] = [];
  const problems: string[] = [];
  const add = (name: string, text: string): void => {
    try {
      dashboards.push({ name, json: JSON.parse(text) });
    } catch (e) {
      problems.push(`${name}: invalid JSON: ${(e as Error).message}`);
    }
  };
  for (const f of files.filter((f) => /^monitoring\/.*\.json$/.test(f))) add(f, readFileSync(join(dir, f), 'utf8'));
  const configMaps = [...objects];
  for (const f of files.filter((f) => /^monitoring\/dashboards\/.*\.ya?ml$/.test(f) && !isKustomization(f))) {
    configMaps.push(...parseObjects(readFileSync(join(dir, f), 'utf8')));
  }
  const seen = new Set<string>();
  for (const o of configMaps.filter((o) => o['kind'] === 'ConfigMap' && o['metadata']?.['labels']?.['grafana_dashboard'] !== undefined)) {
    for (const [key, text] of Object.entries((o['data'] ?? {}) as Record<string, string>)) {
      const name = `${objectLabel(o)}:${key}`;
      if (!key.endsWith('.json') || seen.has(name + text)) continue;
      seen.add(name + text);
      add(name, text);
    }
  }
  if (dashboards.length) problems.push(...typecheckDashboards(dashboards));
  return problems;
}
