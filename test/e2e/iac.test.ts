import { afterAll, describe, expect, it } from 'vitest';
import { iacHandbook } from '../../src/practices/iac/handbook.js';
import { cleanupRepos, cli, commitAll, exists, expectHandbook, flat, makeRepo, read, treeSnapshot, write } from './helpers.js';

afterAll(cleanupRepos);

/**
 * `add iac` with the built CLI in temporary git repositories: the Node and Go fixtures and the
 * pnpm monorepo with ECR. CI pushes with the role the infrastructure creates; check and sync
 * keep hand edits in the modules and roots across a spec change (a new service adds its ECR
 * repository).
 */

const ACCOUNTS = ['--staging-account', '111111111111', '--production-account', '222222222222', '--aws-region', 'eu-west-1'];

describe('add iac', () => {
  it('Node fixture: refuses without account ids (exit 2, nothing written), then writes infra/ and checks clean', async () => {
    const dir = makeRepo('node-npm');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci'])).exitCode).toBe(0);
    commitAll(dir, 'ci');
    const before = treeSnapshot(dir);
    let r = await cli(dir, ['add', 'iac', '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('iac needs the AWS account id of staging');
    expect(r.stderr).toContain('--staging-account');
    expect(treeSnapshot(dir)).toEqual(before);

    r = await cli(dir, ['add', 'iac', '--yes', ...ACCOUNTS]);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const f of ['infra/modules/network/main.tf', 'infra/envs/staging/versions.tf', 'infra/envs/production/terraform.tfvars', 'infra/bootstrap/main.tf', 'infra/.gitignore', 'docs/infrastructure.md', '.github/workflows/infra-plan.yml', '.github/workflows/infra-apply.yml', '.github/workflows/infra-drift.yml']) {
      expect(exists(dir, f), f).toBe(true);
    }
    // GHCR: no registry, no push role; the Node service's CI is unchanged.
    expect(read(dir, 'infra/envs/production/main.tf')).not.toContain('module "ecr"');
    expect(read(dir, '.github/workflows/ci-orders-api.yml')).toBe(before['.github/workflows/ci-orders-api.yml']);
    expect(read(dir, 'infra/envs/staging/versions.tf')).toMatch(/bucket {7}= "[a-z0-9-]+-tfstate-111111111111"/);
    commitAll(dir, 'iac');
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
    const list = await cli(dir, ['list']);
    expect(list.stdout).toMatch(/enabled\s+iac/);
  });

  it('Go fixture on GitLab CI with ECR: GitLab pipelines, the gitlab-oidc module, the push role in the image job; check is clean', async () => {
    const dir = makeRepo('go-svc');
    const r = await cli(dir, ['init', '--yes', '--ci-provider', 'gitlab', '--practices', 'ci,iac', '--registry', 'ecr', ...ACCOUNTS]);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const f of ['.gitlab/ci/infra-plan.yml', '.gitlab/ci/infra-apply.yml', '.gitlab/ci/infra-drift.yml', 'infra/modules/gitlab-oidc/main.tf']) expect(exists(dir, f), f).toBe(true);
    expect(exists(dir, 'infra/modules/github-oidc/main.tf')).toBe(false);
    expect(exists(dir, '.github/workflows/infra-plan.yml')).toBe(false);
    expect(read(dir, '.gitlab/ci/templates/image.yml')).toContain('AWS_ROLE_ARN: "arn:aws:iam::222222222222:role/shop-image-push"');
    expect(read(dir, 'infra/bootstrap/main.tf')).toContain('source = "../modules/gitlab-oidc"');
    expect(read(dir, 'docs/infrastructure.md')).toContain('INFRA_DRIFT_TOKEN');
    commitAll(dir, 'init');
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });

  it('Go fixture with ECR: the image job pushes with the role the infrastructure creates, no ci.aws needed', async () => {
    const dir = makeRepo('go-svc');
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci,iac', '--registry', 'ecr', '--databases', 'inventory', ...ACCOUNTS]);
    expect(r.exitCode, r.stderr).toBe(0);
    const spec = read(dir, 'devops.yaml');
    expect(spec).not.toContain('aws:');
    expect(spec).toContain('database: postgres');
    // The push role is in the shared image workflow; each caller passes its repository.
    expect(read(dir, '.github/workflows/_image.yml')).toContain('role-to-assume: "arn:aws:iam::222222222222:role/shop-image-push"');
    expect(read(dir, '.github/workflows/ci-inventory.yml')).toContain('image: "222222222222.dkr.ecr.eu-west-1.amazonaws.com/shop/inventory"');
    const prod = read(dir, 'infra/envs/production/main.tf');
    expect(prod).toContain('"shop-image-push" = {');
    expect(prod).toContain('"inventory" = "shop/inventory"');
    expect(prod).toContain('module "database"');
    commitAll(dir, 'init');
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });

  it('explain iac prints the handbook and how state and locking work', async () => {
    const r = await cli(makeRepo(), ['explain', 'iac']);
    expect(r.exitCode).toBe(0);
    expectHandbook(r.stdout, 'Infrastructure as code (Terraform) (iac)', iacHandbook);
    expect(flat(r.stdout)).toContain('use_lockfile');
  });
});

describe('monorepo with ECR: infrastructure roles win over ci.aws; hand edits survive a new service', () => {
  it('adds iac, switches CI to the push role, then merges a spec change around hand edits', async () => {
    const dir = makeRepo('monorepo-pnpm');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci,gitops'])).exitCode).toBe(0);
    // The team pushed to ECR with a role it made by hand.
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('  registry: ghcr\n', '  registry: ecr\n  aws:\n    region: eu-west-1\n    roleArn: arn:aws:iam::999999999999:role/hand-made-push\n'));
    expect((await cli(dir, ['sync'])).exitCode).toBe(0);
    commitAll(dir, 'ecr by hand');
    expect(read(dir, '.github/workflows/_image.yml')).toContain('hand-made-push');

    let r = await cli(dir, ['add', 'iac', '--yes', '--databases', 'inventory', ...ACCOUNTS]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(flat(r.stdout + r.stderr)).toContain('ci.aws is ignored while iac provisions the registry');
    const image = read(dir, '.github/workflows/_image.yml');
    expect(image).toContain('role-to-assume: "arn:aws:iam::222222222222:role/shop-image-push"');
    expect(image).not.toContain('hand-made-push');
    for (const svc of ['web-api', 'worker', 'inventory']) expect(read(dir, `.github/workflows/ci-${svc}.yml`)).toContain('uses: ./.github/workflows/_image.yml');
    expect(read(dir, '.github/workflows/previews.yml')).toContain('role-to-assume: "arn:aws:iam::222222222222:role/shop-preview-push"');
    expect(read(dir, 'deploy/web-api/overlays/staging/kustomization.yaml')).toContain('222222222222.dkr.ecr.eu-west-1.amazonaws.com/shop/web-api');
    expect(read(dir, 'docs/gitops.md')).toContain('aws eks update-kubeconfig --name shop-staging --region eu-west-1');
    commitAll(dir, 'iac');
    expect((await cli(dir, ['check'])).exitCode).toBe(0);

    // Hand edits: one in a module (untouched by the spec change), one in the production root (merged).
    const moduleFile = 'infra/modules/ecr/main.tf';
    const rootFile = 'infra/envs/production/main.tf';
    write(dir, moduleFile, read(dir, moduleFile).replace('  force_delete = false\n', '  force_delete = false\n  # Team: keep repositories even when empty.\n'));
    write(dir, rootFile, read(dir, rootFile).replace('module "network" {\n', '# Team: reviewed by platform@acme.example.\nmodule "network" {\n'));
    write(dir, 'infra/envs/production/terraform.tfvars', 'cluster_admin_arns = ["arn:aws:iam::222222222222:role/platform-admins"]\n');
    commitAll(dir, 'team edits');
    r = await cli(dir, ['check']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/edited\s+infra\/modules\/ecr\/main\.tf/);

    // A new service: its ECR repository appears in the production root, next to the team's edit.
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/^services:\n/m, 'services:\n  - name: billing\n    path: services/billing\n    language: go\n'));
    write(dir, 'services/billing/go.mod', 'module example.com/billing\n\ngo 1.23\n');
    commitAll(dir, 'billing service');
    r = await cli(dir, ['check']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/stale\s+infra\/envs\/production\/main\.tf/);
    r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const root = read(dir, rootFile);
    expect(root).toContain('# Team: reviewed by platform@acme.example.');
    // terraform fmt aligns the `=` of a map, so the spacing depends on the longest key.
    expect(root).toMatch(/"billing" += "shop\/billing"/);
    expect(read(dir, moduleFile)).toContain('# Team: keep repositories even when empty.');
    expect(read(dir, 'infra/envs/production/terraform.tfvars')).toBe('cluster_admin_arns = ["arn:aws:iam::222222222222:role/platform-admins"]\n');
    commitAll(dir, 'sync');
    r = await cli(dir, ['check']);
    expect(r.exitCode).toBe(0);
    expect((await cli(dir, ['check', '--strict'])).exitCode).toBe(1);
  });
});
