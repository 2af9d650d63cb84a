import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listJobs } from '../validators/gitlab-ci-local.js';
import { resolvedGitlabJobs } from '../validators/gitlab-jobs.js';
import { shellcheckGitlabFiles } from '../validators/shellcheck.js';
import { haveTool } from '../validators/tool.js';
import { cleanupRepos, cli, commitAll, exists, git, makeRepo, read, write } from './helpers.js';
import { repoFiles, validateGenerated } from './validate-repo.js';

afterAll(cleanupRepos);

/** What a GitLab pipeline needs to be validated in place: a remote-tracking ref of the default branch. */
function trackOrigin(dir: string): void {
  git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
}

/** gitlab-ci-local, shellcheck and yamllint over every GitLab CI file of a generated repository. */
async function validateGitlab(dir: string): Promise<string[]> {
  const problems: string[] = [];
  const r = listJobs(dir);
  if (!r.ok) problems.push(...r.errors.map((e) => `gitlab-ci-local: ${e}`));
  if (haveTool('shellcheck')) {
    // Every file's job scripts in one shellcheck process (each script still checked on its own).
    const files = repoFiles(dir).filter((p) => p.startsWith('.gitlab/ci/'));
    const findings = await shellcheckGitlabFiles(files.map((f) => read(dir, f)), 'info');
    for (const [i, f] of files.entries()) problems.push(...findings[i]!.map((m) => `${f}: shellcheck: ${m}`));
  }
  if (haveTool('yamllint')) problems.push(...(await validateGenerated(dir, (p) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/'))));
  return problems;
}

const specOf = (dir: string) => parse(read(dir, 'devops.yaml')) as { ci: Record<string, unknown>; gitops?: Record<string, unknown>; project: { repository: string }; services: { name: string }[] };

describe.each([
  ['node-npm', ['orders-api']],
  ['python-uv', ['billing']],
  ['python-poetry', undefined],
  ['go-svc', ['inventory']],
  ['java-maven', undefined],
  ['java-gradle', undefined],
  ['monorepo-pnpm', ['inventory', 'web-api', 'worker']],
])('init --yes --ci-provider gitlab in %s', (fixture, names) => {
  it('writes GitLab CI (no GitHub Actions) that gitlab-ci-local, shellcheck and yamllint accept, and check is clean', async () => {
    const dir = makeRepo(fixture);
    const r = await cli(dir, ['init', '--yes', '--ci-provider', 'gitlab']);
    // Every practice is on, so the review's warnings show (the placeholder Grafana URL, runbooks
    // not written yet, Go has no zero-code instrumentation); nothing else may reach stderr.
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    for (const w of warnings) expect(w).toMatch(/^warning: (monitoring\.grafanaUrl is the placeholder|\S+ \(go\): no zero-code|Alerts link runbooks under)/);
    expect(r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('warning: ') && !l.startsWith('  '))).toEqual([]);
    expect(r.exitCode).toBe(0);
    const spec = specOf(dir);
    expect(spec.ci).toMatchObject({ provider: 'gitlab', registry: 'gitlab' });
    // GitLab job tokens cannot open merge requests.
    expect(spec.gitops).toMatchObject({ promotion: 'app-token' });
    if (names) expect(spec.services.map((s) => s.name).sort()).toEqual(names);
    expect(repoFiles(dir).filter((p) => p.startsWith('.github/'))).toEqual([]);
    for (const s of spec.services) expect(exists(dir, `.gitlab/ci/ci-${s.name}.yml`)).toBe(true);
    for (const f of ['.gitlab-ci.yml', '.gitlab/ci/devops-init.yml', '.gitlab/ci/security.yml', '.gitlab/ci/devops-check.yml', '.gitlab/ci/promote.yml', '.gitlab/ci/previews.yml', '.gitlab/ci/monitoring.yml', 'docs/gitlab-ci.md']) {
      expect(exists(dir, f), f).toBe(true);
    }
    expect(read(dir, `${'deploy'}/argocd/apps/previews.yaml`)).toContain('gitlab:');
    commitAll(dir, 'devops-init');
    trackOrigin(dir);
    expect(await validateGitlab(dir)).toEqual([]);
    const c = await cli(dir, ['check']);
    expect(c.stdout).toContain('match devops.yaml');
    expect(c.exitCode).toBe(0);
  });
});

describe('GitLab detection', () => {
  it('a gitlab.com origin makes GitLab the default, with the project\'s full path', async () => {
    const dir = makeRepo('node-npm', { remote: 'git@gitlab.com:acme/platform/orders.git' });
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci', '--dry-run']);
    expect(r.stdout).toContain('CI provider: origin remote is on gitlab.com → GitLab CI');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci'])).exitCode).toBe(0);
    const spec = specOf(dir);
    expect(spec.project.repository).toBe('acme/platform/orders');
    expect(spec.ci).toEqual({ provider: 'gitlab', registry: 'gitlab', signing: 'cosign' });
    expect(read(dir, '.gitlab/ci/ci-orders-api.yml')).toContain('registry.gitlab.com/acme/platform/orders/orders-api');
  });

  it('--ci-provider github wins over the detection and keeps the spec as GitHub specs always were', async () => {
    const dir = makeRepo('node-npm', { remote: 'https://gitlab.com/acme/orders.git' });
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci', '--ci-provider', 'github'])).exitCode).toBe(0);
    expect(specOf(dir).ci).toEqual({ registry: 'ghcr', signing: 'cosign' });
    expect(exists(dir, '.github/workflows/ci-orders-api.yml')).toBe(true);
    expect(exists(dir, '.gitlab-ci.yml')).toBe(false);
  });

  it('keeps a team\'s own .gitlab-ci.yml, says the include line to add, and stops saying it once it is there', async () => {
    const dir = makeRepo('go-svc', { remote: 'https://github.com/acme/inventory.git' });
    const own = 'stages: [build, test, deploy]\n\nlegacy:\n  stage: test\n  timeout: 5m\n  script:\n    - echo "the team\'s job"\n';
    write(dir, '.gitlab-ci.yml', own);
    commitAll(dir, 'our pipeline');
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(specOf(dir).ci['provider']).toBe('gitlab');
    expect(read(dir, '.gitlab-ci.yml')).toBe(own);
    expect(r.stdout).toMatch(/skip\s+\.gitlab-ci\.yml/);
    expect(r.stderr).toContain('include:\n    - local: .gitlab/ci/devops-init.yml');

    write(dir, '.gitlab-ci.yml', `include:\n  - local: .gitlab/ci/devops-init.yml\n\n${own}`);
    commitAll(dir, 'include devops-init');
    const s = await cli(dir, ['sync']);
    expect(s.exitCode).toBe(0);
    expect(s.stderr).not.toContain('devops-init.yml');
    trackOrigin(dir);
    const jobs = listJobs(dir, { CI_PIPELINE_SOURCE: 'web' });
    expect(jobs.errors).toEqual([]);
    expect(jobs.jobs).toEqual(expect.arrayContaining(['legacy', 'inventory:test', 'inventory:image', 'inventory:scan', 'inventory:push', 'inventory:sign', 'secrets', 'dependencies', 'devops-check']));
  });
});

describe('check and sync on GitLab CI', () => {
  it('reports a hand edit, keeps it through a stale render, and is clean after sync', async () => {
    const dir = makeRepo('node-npm');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci', '--ci-provider', 'gitlab'])).exitCode).toBe(0);
    commitAll(dir, 'devops-init');
    const file = '.gitlab/ci/ci-orders-api.yml';
    write(dir, file, `${read(dir, file)}\n# Team note: the lint job is required by branch protection.\n`);
    commitAll(dir, 'team note');
    let r = await cli(dir, ['check']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`edited\\s+${file.replace(/\./g, '\\.')}`));
    expect((await cli(dir, ['check', '--strict'])).exitCode).toBe(1);

    // A devops.yaml change the team has not synced: stale. Runner tags are shared, so they
    // change the templates the service's jobs extend, not the service's own file.
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('  provider: gitlab\n', '  provider: gitlab\n  gitlab:\n    runnerTags:\n      - docker\n'));
    r = await cli(dir, ['check']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/stale\s+\.gitlab\/ci\/templates\/image\.yml/);
    expect(r.stdout).not.toMatch(/stale\s+\.gitlab\/ci\/ci-orders-api\.yml/);
    commitAll(dir, 'runner tags');
    r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const merged = read(dir, file);
    expect(merged).toContain('# Team note: the lint job is required by branch protection.');
    const jobs = resolvedGitlabJobs(Object.fromEntries(repoFiles(dir).filter((p) => p.startsWith('.gitlab/ci/')).map((p) => [p, read(dir, p)])));
    expect(jobs.get('orders-api:test')!.job['tags']).toEqual(['docker']);
    expect(jobs.get('orders-api:push')!.job['tags']).toEqual(['docker']);
    commitAll(dir, 'sync');
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });
});

describe('add on GitLab CI', () => {
  it('add gitops records the app-token promotion (job tokens cannot open merge requests) and adds the promotion jobs', async () => {
    const dir = makeRepo('node-npm', { remote: 'https://gitlab.com/acme/orders.git' });
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci'])).exitCode).toBe(0);
    commitAll(dir, 'ci');
    const r = await cli(dir, ['add', 'gitops', '--yes']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(specOf(dir).gitops).toMatchObject({ promotion: 'app-token' });
    expect(parse(read(dir, '.gitlab/ci/ci-orders-api.yml'))['orders-api:promote-staging']).toBeDefined();
    expect(exists(dir, '.gitlab/ci/promote.yml')).toBe(true);
    commitAll(dir, 'gitops');
    trackOrigin(dir);
    expect(await validateGitlab(dir)).toEqual([]);
  });
});

describe('switching CI provider', () => {
  it('GitHub → GitLab: the workflows become orphans (deleted, or left for the team when edited), and back', async () => {
    const dir = makeRepo('node-npm');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci,gitops'])).exitCode).toBe(0);
    commitAll(dir, 'devops-init on GitHub');
    const edited = '.github/workflows/ci-orders-api.yml';
    write(dir, edited, read(dir, edited).replace(/^jobs:\n/m, 'env:\n  TEAM_OWNED_SETTING: "keep-me"\njobs:\n'));
    commitAll(dir, 'team edit');

    // The switch: provider and the registry that goes with it (ghcr is GitHub's).
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('ci:\n  registry: ghcr\n', 'ci:\n  provider: gitlab\n  registry: gitlab\n').replace('promotion: pull-request', 'promotion: app-token'));
    commitAll(dir, 'move to GitLab');
    let r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/delete\s+\.github\/workflows\/security\.yml/);
    expect(r.stdout).toMatch(/delete\s+\.github\/dependabot\.yml/);
    expect(r.stdout).toMatch(/release\s+\.github\/workflows\/ci-orders-api\.yml/);
    expect(r.stderr).toContain(`${edited}: no longer generated, but edited by hand`);
    expect(repoFiles(dir).filter((p) => p.startsWith('.github/'))).toEqual([edited]);
    expect(read(dir, edited)).toContain('TEAM_OWNED_SETTING');
    for (const f of ['.gitlab-ci.yml', '.gitlab/ci/ci-orders-api.yml', '.gitlab/ci/promote.yml', '.gitlab/ci/previews.yml']) expect(exists(dir, f), f).toBe(true);
    expect(read(dir, 'deploy/argocd/project.yaml')).toContain('https://gitlab.com/acme/shop.git');
    expect(read(dir, 'docs/gitops.md')).toContain('merge request');
    commitAll(dir, 'sync to GitLab');
    trackOrigin(dir);
    expect(await validateGitlab(dir)).toEqual([]);
    expect((await cli(dir, ['check'])).exitCode).toBe(0);

    // And back: the GitLab files are orphans now.
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('  provider: gitlab\n  registry: gitlab\n', '  registry: ghcr\n'));
    commitAll(dir, 'back to GitHub');
    r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(repoFiles(dir).filter((p) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/'))).toEqual([]);
    expect(exists(dir, '.github/workflows/security.yml')).toBe(true);
    commitAll(dir, 'sync to GitHub');
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });
});

describe('list and explain show the CI providers', () => {
  it('list names them; explain ci says how to pick one', async () => {
    const dir = makeRepo();
    const list = await cli(dir, ['list']);
    expect(list.stdout).toContain('providers: github, gitlab (ci.provider)');
    const json = JSON.parse((await cli(dir, ['list', '--json'])).stdout);
    expect(json.practices.find((p: { id: string }) => p.id === 'ci').providers).toEqual({ key: 'ci.provider', values: ['github', 'gitlab'] });
    const explain = await cli(dir, ['explain', 'ci']);
    expect(explain.stdout).toContain('CI/CD (GitHub Actions or GitLab CI)');
    expect(explain.stdout).toMatch(/Providers\s+\(ci\.provider in devops\.yaml\)/);
    expect(explain.stdout).toMatch(/gitlab\s+GitLab CI/);
  });
});
