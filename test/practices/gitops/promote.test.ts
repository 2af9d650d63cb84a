import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeSpec, renderRecord } from '../../helpers/spec.js';
import { lintWorkflow, formatFindings } from '../../validators/actionlint.js';
import { extractRunScripts, shellcheckWorkflow } from '../../validators/shellcheck.js';
import { haveTool } from '../../validators/tool.js';
import { parseWithGitHub } from '../../validators/workflow-parser.js';
import { writeRecord } from '../../validators/kustomize.js';
import { yamllintRecord } from '../../validators/yamllint.js';

const PATH = '.github/workflows/promote.yml';
const monorepo = makeSpec({
  practices: ['ci', 'gitops'],
  services: [
    { name: 'web', path: 'services/web', language: 'node' },
    { name: 'worker', path: 'services/worker', language: 'go' },
  ],
});
const promote = (spec = monorepo) => renderRecord(spec, ['gitops'])[PATH]!;

describe('promote workflow', () => {
  it('passes actionlint and GitHub’s own workflow parser', async () => {
    for (const spec of [monorepo, makeSpec({ practices: ['gitops'], gitops: { promotion: 'app-token' } })]) {
      const text = promote(spec);
      expect(formatFindings(PATH, await lintWorkflow(text, PATH))).toEqual([]);
      expect(await parseWithGitHub(text, PATH)).toEqual([]);
    }
  });

  it('actionlint catches a broken copy (an undefined step output)', async () => {
    const broken = promote().replace('steps.pin.outputs.short', 'steps.nope.outputs.short');
    expect((await lintWorkflow(broken, PATH)).map((f) => f.message).join('\n')).toMatch(/nope/);
  });

  it.runIf(haveTool('shellcheck'))('its run scripts pass shellcheck', async () => {
    expect(await shellcheckWorkflow(promote())).toEqual([]);
  });

  it.runIf(haveTool('yamllint'))('passes yamllint', () => {
    expect(yamllintRecord({ [PATH]: promote() })).toEqual([]);
  });

  it('is hardened: read-only by default, write only in the gated job, inputs through env', () => {
    const wf = parse(promote());
    expect(wf.on.workflow_dispatch.inputs.service).toMatchObject({ type: 'choice', options: ['web', 'worker'], required: true });
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
    const job = wf.jobs.promote;
    expect(job.environment).toBe('production');
    // packages: read: the job verifies the GHCR image's signature before promoting it (issue 9 #6).
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', packages: 'read' });
    expect(job['timeout-minutes']).toBeGreaterThan(0);
    expect(job.steps[0].with['persist-credentials']).toBe(false);
    for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    for (const s of extractRunScripts(promote())) expect(s.script).not.toContain('GH_EXPRESSION');
  });
});

/**
 * Runs the workflow's own script against a rendered repo, with `kustomize` standing in as
 * kubectl's built-in `kustomize build` plus a recorder for `kustomize edit`.
 */
describe.runIf(haveTool('kubectl'))('promote script (run for real)', () => {
  const digest = 'sha256:' + 'c0ffee00'.repeat(8);

  function run(stagingDigest: string | undefined) {
    const record = renderRecord(monorepo, ['gitops']);
    const dir = writeRecord(record);
    const staging = join(dir, 'deploy/web/overlays/staging/kustomization.yaml');
    if (stagingDigest) writeFileSync(staging, readFileSync(staging, 'utf8').replace(/sha256:0{64}/, stagingDigest));
    const bin = join(dir, '.bin');
    mkdirSync(bin);
    const shim = join(bin, 'kustomize');
    writeFileSync(
      shim,
      '#!/bin/bash\nset -eu\nif [ "$1" = build ]; then exec kubectl kustomize "$2"; fi\necho "$PWD $*" >> "$EDIT_LOG"\n',
    );
    chmodSync(shim, 0o755);
    const script = extractRunScripts(record[PATH]!).find((s) => s.script.includes('kustomize edit'))!.script;
    const env = { ...process.env, PATH: `${bin}:${process.env['PATH']}`, SERVICE: 'web', GITHUB_OUTPUT: join(dir, 'out'), EDIT_LOG: join(dir, 'edits') };
    writeFileSync(env.GITHUB_OUTPUT, '');
    writeFileSync(env.EDIT_LOG, '');
    const r = spawnSync('bash', ['-c', script], { cwd: dir, env, encoding: 'utf8' });
    return { r, edits: readFileSync(env.EDIT_LOG, 'utf8'), output: readFileSync(env.GITHUB_OUTPUT, 'utf8'), dir };
  }

  it('copies the digest staging runs into the production overlay', () => {
    const { r, edits, output, dir } = run(digest);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(edits.trim()).toBe(`${join(dir, 'deploy/web/overlays/production')} edit set image ghcr.io/acme/shop/web=ghcr.io/acme/shop/web@${digest}`);
    expect(output).toBe(`image=ghcr.io/acme/shop/web\ndigest=${digest}\nshort=${digest.slice(7, 19)}\n`);
  });

  it('refuses to promote when staging has nothing promoted yet', () => {
    const { r, edits } = run(undefined);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error::Staging pins no image digest for web/);
    expect(edits).toBe('');
  });
});

/**
 * Which token opens the promotion pull requests. promote.yml and CI's staging job must make
 * the same choice in every mode, or one promotion's checks run and the other's silently do not.
 */
describe('promotion token (promote.yml agrees with CI’s staging promotion)', () => {
  type Obj = Record<string, any>;
  // CI's staging promotion job lives in the shared workflow each service's CI calls.
  const CI = '.github/workflows/_promote-staging.yml';
  const DOCS = 'docs/gitops.md';
  const prStep = (job: Obj) => job['steps'].find((s: Obj) => String(s['uses'] ?? '').startsWith('peter-evans/create-pull-request@'));
  const appStep = (job: Obj) => job['steps'].find((s: Obj) => String(s['uses'] ?? '').startsWith('actions/create-github-app-token@'));
  function render(promotion: 'pull-request' | 'app-token') {
    const record = renderRecord(makeSpec({ practices: ['ci', 'gitops'], gitops: { promotion } }));
    return {
      record,
      promote: parse(record[PATH]!).jobs.promote as Obj,
      staging: parse(record[CI]!).jobs['promote-staging'] as Obj,
      docs: record[DOCS]!,
    };
  }

  it('pull-request mode: GITHUB_TOKEN with write scopes, and the docs name the repository setting', () => {
    const { promote, staging, docs, record } = render('pull-request');
    expect(prStep(promote).with.token).toBe('${{ secrets.GITHUB_TOKEN }}');
    expect(prStep(staging).with.token ?? '${{ secrets.GITHUB_TOKEN }}').toBe(prStep(promote).with.token);
    expect(promote['permissions']).toEqual({ contents: 'write', 'pull-requests': 'write', packages: 'read' });
    expect(record[PATH]).not.toMatch(/PROMOTION_/);
    expect(docs).toMatch(/Allow GitHub Actions to create and\s+approve pull\s+requests/);
    expect(docs).not.toMatch(/PROMOTION_APP_ID/);
  });

  it('app-token mode: both promotions mint the same GitHub App token per run (pinned action); GITHUB_TOKEN only reads', async () => {
    const { promote, staging, docs, record } = render('app-token');
    for (const job of [promote, staging]) {
      expect(appStep(job)).toMatchObject({
        id: 'app-token',
        uses: expect.stringMatching(/^actions\/create-github-app-token@[0-9a-f]{40}$/),
        // client-id: app-id is deprecated in create-github-app-token v3.
        with: { 'client-id': '${{ vars.PROMOTION_APP_CLIENT_ID }}', 'private-key': '${{ secrets.PROMOTION_APP_PRIVATE_KEY }}' },
      });
      expect(prStep(job).with.token).toBe('${{ steps.app-token.outputs.token }}');
      expect(job['permissions']).toEqual(expect.objectContaining({ contents: 'read' }));
      expect(Object.values(job['permissions']).every((v) => v === 'read')).toBe(true);
    }
    expect(record[PATH]).not.toMatch(/PROMOTION_TOKEN|GITHUB_TOKEN \}\}/);
    // The docs say how to create the App and keep its key in the protected environments.
    expect(docs).toMatch(/`PROMOTION_APP_PRIVATE_KEY`/);
    expect(docs).toMatch(/\*\*environment\*\* variable and secret of the\s+`staging` and `production` environments/);
    expect(docs).not.toMatch(/PROMOTION_TOKEN/);
    expect(formatFindings(PATH, await lintWorkflow(record[PATH]!, PATH))).toEqual([]);
  });
});

describe('docs/gitops.md', () => {
  const docs = renderRecord(makeSpec({ practices: ['ci', 'gitops'] }))['docs/gitops.md']!;

  it('says CI opens the staging PR (it does not commit) and merging it deploys staging', () => {
    expect(docs).toMatch(/opens a pull request from the branch\s+`promote-staging\/<service>`\. Merging it deploys staging/);
    expect(docs).not.toMatch(/and commits it/);
  });

  it('says previews work only for same-repository pull requests', () => {
    expect(docs).toMatch(/Previews work only for pull requests from branches of this repository/);
    expect(docs).toMatch(/only to\s+same-repository pull requests/);
  });
});
