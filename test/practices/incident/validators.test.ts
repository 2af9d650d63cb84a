import { mkdtempSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION_PINS } from '../../../src/data/action-pins.js';
import { checkTree } from '../../../src/plan/check.js';
import { emptyLock } from '../../../src/lock/lock.js';
import type { Spec } from '../../../src/spec/types.js';
import { computeTree } from '../../../src/tree/compute.js';
import { makeSpec } from '../../helpers/spec.js';
import { lintWorkflow } from '../../validators/actionlint.js';
import { validateGitlabPipeline } from '../../validators/gitlab-ci-local.js';
import { shellcheckScript, extractGitlabScripts } from '../../validators/shellcheck.js';
import { yamllintRecord } from '../../validators/yamllint.js';
import { parseWithGitHub } from '../../validators/workflow-parser.js';

const github = (): Spec => makeSpec({ practices: ['ci', 'gitops', 'deploy', 'monitoring', 'incident'], services: [{ name: 'api', path: '.', language: 'node', deploy: { strategy: 'canary', featureFlags: true } }] });
const gitlab = (): Spec => makeSpec({ practices: ['ci', 'gitops', 'monitoring', 'incident'], ci: { provider: 'gitlab' } });

const WORKFLOWS = ['.github/workflows/incident-postmortems.yml', '.github/workflows/incident-drill.yml'];

describe('incident workflows: actionlint, GitHub\'s workflow parser, least privilege, pins', () => {
  const files = computeTree(github()).toRecord();
  for (const path of WORKFLOWS) {
    it(`${path} passes actionlint and the workflow parser`, async () => {
      expect(files[path], path).toBeDefined();
      expect(await lintWorkflow(files[path]!, path)).toEqual([]);
      expect(await parseWithGitHub(files[path]!, path)).toEqual([]);
    });
    it(`${path}: only issues: write, SHA-pinned actions, no run: steps, no expressions (the issue jobs)`, () => {
      const wf = parse(files[path]!) as { permissions: unknown; jobs: Record<string, { permissions: unknown; steps: { uses?: string; run?: string }[] }> };
      expect(wf.permissions).toEqual({});
      for (const [id, job] of Object.entries(wf.jobs)) {
        if (id === 'rehearse') continue; // its own test below
        expect(job.permissions).toEqual({ issues: 'write' });
        for (const step of job.steps) {
          expect(step.run).toBeUndefined();
          expect(step.uses).toBe(`actions/github-script@${ACTION_PINS['actions/github-script'].sha}`);
        }
      }
      if (path.includes('postmortems')) expect(files[path]).not.toContain('${{');
    });
  }
  it('actionlint catches a broken one (the check can fail)', async () => {
    const broken = files[WORKFLOWS[0]!]!.replace('timeout-minutes: 5', 'timeout-minutez: 5');
    expect((await lintWorkflow(broken, WORKFLOWS[0]!)).length).toBeGreaterThan(0);
  });
  it('drills can be switched off', () => {
    const spec = github();
    const off = computeTree({ ...spec, incident: { ...spec.incident, drills: { ...spec.incident.drills, cadence: 'none' } } }).toRecord();
    expect(off['.github/workflows/incident-drill.yml']).toBeUndefined();
    expect(off['.github/workflows/incident-postmortems.yml']).toBeDefined();
  });
});

/**
 * GitHub's issue-form syntax rules (docs: "Syntax for issue forms" and "Syntax for GitHub's form
 * schema"), checked structurally: no validator for them exists offline.
 */
function issueFormProblems(form: Record<string, unknown>): string[] {
  const out: string[] = [];
  const TYPES = ['markdown', 'textarea', 'input', 'dropdown', 'checkboxes'];
  for (const key of ['name', 'description', 'body']) if (form[key] === undefined) out.push(`rule: top-level ${key} is required`);
  for (const key of Object.keys(form)) if (!['name', 'description', 'body', 'assignees', 'labels', 'title', 'projects', 'type'].includes(key)) out.push(`rule: unknown top-level key ${key}`);
  if (form['labels'] !== undefined && !Array.isArray(form['labels']) && typeof form['labels'] !== 'string') out.push('rule: labels is an array or a comma-separated string');
  const body = form['body'] as Record<string, unknown>[];
  if (!Array.isArray(body) || body.length === 0) return [...out, 'rule: body is a non-empty array'];
  if (!body.some((b) => b['type'] !== 'markdown')) out.push('rule: body needs at least one non-markdown field');
  const ids = new Set<string>();
  const labels = new Set<string>();
  for (const [i, el] of body.entries()) {
    const type = el['type'] as string;
    const attrs = (el['attributes'] ?? {}) as Record<string, unknown>;
    if (!TYPES.includes(type)) out.push(`rule: body[${i}].type must be one of ${TYPES.join(', ')}`);
    if (el['id'] !== undefined) {
      const id = String(el['id']);
      if (!/^[A-Za-z0-9_-]+$/.test(id)) out.push(`rule: body[${i}].id may contain only alphanumerics, - and _`);
      if (ids.has(id)) out.push(`rule: body[${i}].id ${id} must be unique`);
      ids.add(id);
    }
    if (type === 'markdown') {
      if (typeof attrs['value'] !== 'string') out.push(`rule: markdown body[${i}] needs attributes.value`);
      if (el['id'] !== undefined || el['validations'] !== undefined) out.push(`rule: markdown body[${i}] takes no id or validations`);
      continue;
    }
    const label = attrs['label'];
    if (typeof label !== 'string' || !label.trim()) out.push(`rule: body[${i}] needs a non-empty attributes.label`);
    else if (labels.has(label)) out.push(`rule: body[${i}] label "${label}" must be unique`);
    else labels.add(label);
    if (type === 'dropdown') {
      const options = attrs['options'] as unknown[];
      if (!Array.isArray(options) || options.length === 0) out.push(`rule: dropdown body[${i}] needs non-empty options`);
      else if (new Set(options).size !== options.length || options.some((o) => typeof o !== 'string' || !o)) out.push(`rule: dropdown body[${i}] options must be unique non-empty strings`);
      else if (options.some((o) => String(o).toLowerCase() === 'none')) out.push(`rule: dropdown body[${i}] options must not be "None"`);
    }
    if (type === 'checkboxes' && !Array.isArray(attrs['options'])) out.push(`rule: checkboxes body[${i}] needs options`);
    const v = el['validations'] as Record<string, unknown> | undefined;
    if (v !== undefined && typeof v['required'] !== 'boolean') out.push(`rule: body[${i}].validations.required is a boolean`);
  }
  return out;
}

describe('incident issue forms follow GitHub\'s issue-form schema rules', () => {
  const files = computeTree(github()).toRecord();
  for (const path of ['.github/ISSUE_TEMPLATE/incident.yml', '.github/ISSUE_TEMPLATE/postmortem.yml']) {
    it(path, () => {
      expect(issueFormProblems(parse(files[path]!) as Record<string, unknown>)).toEqual([]);
    });
  }
  it('the rules catch a broken form', () => {
    const form = parse(files['.github/ISSUE_TEMPLATE/incident.yml']!) as { body: Record<string, unknown>[] };
    form.body.push({ type: 'input', id: 'severity', attributes: {} }, { type: 'radio' });
    const problems = issueFormProblems(form as unknown as Record<string, unknown>);
    expect(problems.join('\n')).toMatch(/id severity must be unique/);
    expect(problems.join('\n')).toMatch(/needs a non-empty attributes.label/);
    expect(problems.join('\n')).toMatch(/type must be one of/);
  });
  it('the postmortem form asks for the incident link the reminder reads', () => {
    expect(files['.github/ISSUE_TEMPLATE/postmortem.yml']).toContain('id: incident');
  });
});

describe('incident on GitLab: issue templates and scheduled jobs (gitlab-ci-local)', () => {
  const files = computeTree(gitlab()).toRecord();
  it('writes issue templates and no GitHub files', () => {
    expect(files['.gitlab/issue_templates/Incident.md']).toContain('/label ~incident');
    expect(files['.gitlab/issue_templates/Postmortem.md']).toContain('/label ~postmortem');
    expect(Object.keys(files).some((p) => p.startsWith('.github/'))).toBe(false);
  });
  const pipeline = Object.fromEntries(Object.entries(files).filter(([p]) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/')));
  it('validates, and the jobs run only in their schedule', () => {
    const push = validateGitlabPipeline(pipeline);
    expect(push.errors).toEqual([]);
    expect(push.jobs.filter((j) => j.startsWith('incident:'))).toEqual([]);
    const reminder = validateGitlabPipeline(pipeline, { variables: { CI_PIPELINE_SOURCE: 'schedule', INCIDENT_TASK: 'postmortem-reminder' } });
    expect(reminder.errors).toEqual([]);
    expect(reminder.jobs).toContain('incident:postmortem-reminder');
    expect(reminder.jobs).not.toContain('incident:drill');
    const drill = validateGitlabPipeline(pipeline, { variables: { CI_PIPELINE_SOURCE: 'schedule', INCIDENT_TASK: 'drill' } });
    expect(drill.jobs).toContain('incident:drill');
  });
  it('the Node scripts parse', async () => {
    for (const p of ['.gitlab/incident/postmortem-reminder.mjs', '.gitlab/incident/drill.mjs']) {
      const dir = mkdtempSync(join(tmpdir(), 'inc-'));
      try {
        const file = join(dir, 'x.mjs');
        writeFileSync(file, files[p]!.replace(/^\/\/.*\n/, ''));
        const { execFileSync } = await import('node:child_process');
        execFileSync(process.execPath, ['--check', file]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe('check reports an alert whose runbook is missing', () => {
  it('missing seeded runbook → missing; present → not reported', () => {
    const tree = computeTree(github());
    const root = mkdtempSync(join(tmpdir(), 'inc-check-'));
    try {
      for (const p of tree.paths()) {
        mkdirSync(dirname(join(root, p)), { recursive: true });
        writeFileSync(join(root, p), tree.get(p)!.content);
      }
      const runbook = tree.paths().find((p) => p.startsWith('docs/runbooks/') && p.endsWith('FastBurn.md'))!;
      const lock = emptyLock('test');
      expect(checkTree(root, tree, lock).filter((i) => i.path === runbook)).toEqual([]);
      unlinkSync(join(root, runbook));
      const items = checkTree(root, tree, lock).filter((i) => i.path === runbook);
      expect(items.map((i) => i.state)).toEqual(['missing']);
      // Other seeded files (the commander checklist) are the team's to delete.
      unlinkSync(join(root, 'docs/incident/commander-checklist.md'));
      expect(checkTree(root, tree, lock).filter((i) => i.path === 'docs/incident/commander-checklist.md')).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('incident YAML passes yamllint; GitLab job scripts pass shellcheck', () => {
  it('GitHub workflows and issue forms, GitLab pipeline files', async () => {
    const gh = computeTree(github()).toRecord();
    const gl = computeTree(gitlab()).toRecord();
    const pick = (r: Record<string, string>, pred: (p: string) => boolean) => Object.fromEntries(Object.entries(r).filter(([p]) => pred(p)));
    const yamlFiles = {
      ...pick(gh, (p) => p.startsWith('.github/ISSUE_TEMPLATE/') || p.includes('workflows/incident-')),
      ...pick(gl, (p) => p.startsWith('.gitlab/ci/incident-')),
    };
    expect(Object.keys(yamlFiles).length).toBe(6);
    expect(yamllintRecord(yamlFiles)).toEqual([]);
    for (const p of ['.gitlab/ci/incident-postmortems.yml', '.gitlab/ci/incident-drill.yml']) {
      const scripts = extractGitlabScripts(gl[p]!);
      expect(scripts.length).toBeGreaterThan(0);
      for (const s of scripts) expect(await shellcheckScript(s.script)).toEqual([]);
    }
  });
});
