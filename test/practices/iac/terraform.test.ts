import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveTerraform, initAndTest, initAndValidate, initValidateAndTest, pool, terraform } from '../../validators/terraform.js';
import { fullSpec, gitlabSpec, minimalSpec } from './cases.js';
import { renderUnder, writeRecord } from './render.js';

/**
 * The generated Terraform against Terraform itself, offline (the AWS provider comes from the
 * machine's filesystem mirror): `fmt -check -recursive`, `init -backend=false` + `validate` of
 * every root and module, and every module's `terraform test` (mocked provider). Each check is
 * shown failing on a module broken on purpose. Terraform loads a ~700 MB provider per command,
 * so commands run two at a time and each module's tests run once.
 */

const ok = haveTerraform();
const MODULES = ['network', 'eks', 'ecr', 'rds', 'github-oidc', 'state-bucket'];

describe.runIf(ok)('generated Terraform passes terraform fmt, validate and test', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeRecord(renderUnder(fullSpec(), 'infra/'));
  });

  it('renders every module with main, variables, outputs, versions and a test file', () => {
    for (const m of MODULES) {
      for (const f of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', `tests/${m}.tftest.hcl`]) {
        expect(readFileSync(join(dir, 'infra/modules', m, f), 'utf8').length, `${m}/${f}`).toBeGreaterThan(0);
      }
    }
  });

  it('terraform fmt -check -recursive finds nothing to change (both specs)', async () => {
    expect((await terraform(dir, ['fmt', '-check', '-recursive', '-diff', 'infra'])).output).toBe('');
    const minimal = writeRecord(renderUnder(minimalSpec(), 'infra/'));
    const r = await terraform(minimal, ['fmt', '-check', '-recursive', '-diff', 'infra']);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('init -backend=false and validate pass on every root and module; terraform test passes on every module', async () => {
    const roots = ['infra/envs/staging', 'infra/envs/production', 'infra/bootstrap'];
    // Two terraform commands at a time; a module is initialised once for its validate and its tests.
    const results = await pool([...roots, ...MODULES], 2, async (d) =>
      roots.includes(d) ? { d, validate: await initAndValidate(join(dir, d)) } : { d: `infra/modules/${d}`, m: d, ...(await initValidateAndTest(join(dir, 'infra/modules', d))) },
    );
    for (const { d, validate: r } of results) expect(r.code, `${d}:\n${r.output}`).toBe(0);
    const modules = results.flatMap((x) => ('test' in x ? [{ m: x.m, test: x.test }] : []));
    expect(modules.map((x) => x.m)).toEqual(MODULES);
    for (const { m, test: r } of modules) {
      expect(r.code, `${m}:\n${r.output}`).toBe(0);
      expect(r.output, m).toMatch(/Success! \d+ passed, 0 failed/);
    }
  }, 300_000);

  it('the root without registry or database (GHCR, one shared account) validates too', async () => {
    const minimal = writeRecord(renderUnder(minimalSpec(), 'infra/'));
    const r = await initAndValidate(join(minimal, 'infra/envs/production'));
    expect(r.code, r.output).toBe(0);
  }, 120_000);
});

describe.runIf(ok)('on GitLab CI: the gitlab-oidc module and the roots that call it pass fmt, validate and test', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeRecord(renderUnder(gitlabSpec(), 'infra/'), 'iac-gitlab');
  });

  it('writes gitlab-oidc instead of github-oidc', () => {
    expect(() => readFileSync(join(dir, 'infra/modules/github-oidc/main.tf'))).toThrow();
    expect(readFileSync(join(dir, 'infra/modules/gitlab-oidc/main.tf'), 'utf8')).toContain('resource "aws_iam_openid_connect_provider" "gitlab"');
  });

  it('fmt, then validate every root and the module, then its tests', async () => {
    const fmt = await terraform(dir, ['fmt', '-check', '-recursive', '-diff', 'infra']);
    expect([fmt.code, fmt.output]).toEqual([0, '']);
    const dirs = ['infra/envs/staging', 'infra/envs/production', 'infra/bootstrap'];
    const [validations, module] = await Promise.all([
      pool(dirs, 1, async (d) => ({ d, r: await initAndValidate(join(dir, d)) })),
      initValidateAndTest(join(dir, 'infra/modules/gitlab-oidc')),
    ]);
    validations.push({ d: 'infra/modules/gitlab-oidc', r: module.validate });
    for (const { d, r } of validations) expect(r.code, `${d}:\n${r.output}`).toBe(0);
    const test = module.test;
    expect(test.code, test.output).toBe(0);
    expect(test.output).toMatch(/Success! 5 passed, 0 failed/);
  }, 300_000);

  it('terraform test fails when the any-branch role loses its pattern match (the assertion can fail)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'devops-init-broken-'));
    cpSync(join(dir, 'infra/modules/gitlab-oidc'), d, { recursive: true });
    const main = readFileSync(join(d, 'main.tf'), 'utf8');
    expect(main).toContain('if !contains(each.value.subjects, local.any_branch)');
    writeFileSync(join(d, 'main.tf'), main.replace('if !contains(each.value.subjects, local.any_branch)', 'if true'));
    const r = await initAndTest(d);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('The plan role trusts any branch of acme/platform/shop and nothing else.');
  }, 120_000);
});

describe.runIf(ok)('each check fails on a module broken on purpose', () => {
  let ecr: string;
  beforeAll(() => {
    const rendered = writeRecord(renderUnder(fullSpec(), 'infra/modules/ecr/'));
    ecr = join(rendered, 'infra/modules/ecr');
  });
  const copy = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'devops-init-broken-'));
    cpSync(ecr, d, { recursive: true });
    return d;
  };
  const edit = (d: string, file: string, from: string, to: string) => {
    const text = readFileSync(join(d, file), 'utf8');
    expect(text).toContain(from);
    writeFileSync(join(d, file), text.replace(from, to));
  };

  it('fmt: a misaligned attribute', async () => {
    const d = copy();
    edit(d, 'main.tf', '  image_tag_mutability = "IMMUTABLE"', '  image_tag_mutability    =    "IMMUTABLE"');
    const r = await terraform(d, ['fmt', '-check', '-recursive']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('main.tf');
  });

  it('validate: a reference to a variable the module does not declare', async () => {
    const d = copy();
    edit(d, 'main.tf', 'countNumber   = var.keep_images', 'countNumber   = var.keep_forever');
    const r = await initAndValidate(d);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('undeclared input variable');
  }, 120_000);

  it('terraform test: mutable tags break the immutability assertion', async () => {
    const d = copy();
    edit(d, 'main.tf', 'image_tag_mutability = "IMMUTABLE"', 'image_tag_mutability = "MUTABLE"');
    const r = await initAndTest(d);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('Every repository must have immutable tags.');
  }, 120_000);
});
