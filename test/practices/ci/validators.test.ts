import { describe, expect, it } from 'vitest';
import { formatFindings, lintWorkflow } from '../../validators/actionlint.js';
import { extractRunScripts, shellcheckEachScript } from '../../validators/shellcheck.js';
import { haveTool } from '../../validators/tool.js';
import { parseWithGitHub } from '../../validators/workflow-parser.js';
import { yamllintRecord } from '../../validators/yamllint.js';
import { CI_CASES, renderCi } from './cases.js';
import { callViolations, workflowsOf, workflowViolations } from './workflow-rules.js';

const hasShellcheck = haveTool('shellcheck');
const hasYamllint = haveTool('yamllint');

/** Each case rendered once, for its own tests and the batched validator runs below. */
const records = new Map(Object.entries(CI_CASES).map(([name, spec]) => [name, renderCi(spec)]));

describe.each(Object.entries(CI_CASES))('ci practice, %s', (name, spec) => {
  const record = records.get(name)!;
  const workflows = workflowsOf(record);

  it('renders one thin workflow per service, the shared workflows they call, security and devops-check (and previews with GitOps previews)', () => {
    const expected = [...spec.services.map((s) => `.github/workflows/ci-${s.name}.yml`), '.github/workflows/devops-check.yml', '.github/workflows/security.yml', '.github/workflows/_image.yml'];
    if (spec.practices.includes('gitops') && spec.gitops.previews) expected.push('.github/workflows/previews.yml');
    if (spec.practices.includes('gitops') && spec.services.some((s) => !s.manifests)) expected.push('.github/workflows/_promote-staging.yml');
    // One checks workflow per stack in use: exactly the ones the callers name.
    const called = new Set(workflows.flatMap(([, t]) => [...t.matchAll(/uses: \.\/(\.github\/workflows\/_checks-[a-z-]+\.yml)/g)].map((m) => m[1]!)));
    expected.push(...called);
    expect(workflows.map(([p]) => p).sort()).toEqual(expected.sort());
  });

  it('every local workflow a caller uses is rendered and declares workflow_call', () => {
    for (const [path, text] of workflows) {
      for (const m of text.matchAll(/uses: \.\/(\.github\/workflows\/[^\s]+)/g)) {
        expect(record[m[1]!], `${path} calls ${m[1]}`).toContain('workflow_call:');
      }
    }
  });

  it('every workflow follows the hardening rules', () => {
    expect(workflows.flatMap(([p, t]) => workflowViolations(p, t))).toEqual([]);
  });

  it('actionlint reports nothing', async () => {
    for (const [path, text] of workflows) expect(formatFindings(path, await lintWorkflow(text, path))).toEqual([]);
  });

  it("GitHub's workflow parser reports no errors (calls checked against the called workflows)", async () => {
    for (const [path, text] of workflows) expect(await parseWithGitHub(text, path, record), path).toEqual([]);
  });

  it('every calling job grants what the called workflow asks for, and every called job narrows it', () => {
    expect(callViolations(record)).toEqual([]);
  });

});

/**
 * shellcheck and yamllint over every case, batched: a process per case and workflow cost more
 * than the checking (28 cases, about 200 workflows). Each distinct script is checked once per
 * shell, on its own, as a run per workflow checks it; every YAML file of every case is linted,
 * under its case's name.
 */
describe('ci practice, shellcheck and yamllint over every case', () => {
  it.runIf(hasShellcheck)('every run: script of every case is shellcheck-clean (info severity and up)', async () => {
    const seen = { bash: new Map<string, string>(), sh: new Map<string, string>() };
    for (const [name, record] of records) {
      for (const [path, text] of workflowsOf(record)) {
        for (const s of extractRunScripts(text)) if (!seen[s.shell].has(s.script)) seen[s.shell].set(s.script, `${name}: ${path}: ${s.where}`);
      }
    }
    const findings: string[] = [];
    for (const shell of ['bash', 'sh'] as const) {
      const each = await shellcheckEachScript([...seen[shell].keys()], 'info', shell);
      for (const [i, where] of [...seen[shell].values()].entries()) findings.push(...each[i]!.map((f) => `${where}: ${f}`));
    }
    expect(seen.bash.size).toBeGreaterThan(0);
    expect(findings).toEqual([]);
  });

  it.runIf(hasYamllint)('all YAML of every case passes yamllint', () => {
    const yaml: Record<string, string> = {};
    for (const [name, record] of records) {
      for (const [path, text] of Object.entries(record)) if (/\.ya?ml$/.test(path)) yaml[`${name}/${path}`] = text;
    }
    expect(yamllintRecord(yaml)).toEqual([]);
  });
});
