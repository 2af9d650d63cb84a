import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveWorkflow } from './workflow-rules.js';
import { CI_CASES, renderCi } from './cases.js';
import { GITLAB_CASES } from './gitlab-cases.js';
import { resolvedGitlabJobObject } from '../../validators/gitlab-jobs.js';

type Obj = Record<string, any>;
const gh = (name: string, file: string): Obj => resolveWorkflow(renderCi(CI_CASES[name]!), file);
/** The jobs GitLab runs for a case (per-service files extend the shared templates), those of `file` only. */
const gl = (name: string, file: string): Obj => {
  const record = renderCi(GITLAB_CASES[name]!);
  const own = Object.keys(parse(record[file]!) as Obj);
  return Object.fromEntries(Object.entries(resolvedGitlabJobObject(record)).filter(([k]) => own.includes(k)));
};
const uses = (job: Obj, action: string): Obj | undefined => (job['steps'] as Obj[]).find((s) => String(s['uses'] ?? '').startsWith(`${action}@`));

/** Issue 10, CI side: what detection now puts in devops.yaml reaches both providers' pipelines. */
describe('build context and prebuild', () => {
  it('GitHub: the image builds from services[].buildContext, after the prebuild command ran there', () => {
    const image = gh('test-services-prebuild', '.github/workflows/ci-api.yml')['jobs']['image'];
    const steps = image['steps'] as Obj[];
    const pre = steps.findIndex((s) => s['run'] === 'npx nx build api');
    const build = steps.findIndex((s) => s['id'] === 'build');
    expect(pre).toBeGreaterThan(0);
    expect(pre).toBeLessThan(build);
    expect(steps[pre]!['working-directory']).toBe('.');
    expect(steps[build]!['with']).toMatchObject({ context: '.', file: 'apps/api/Dockerfile' });
  });

  it('GitLab: a prebuild job in the toolchain image hands its output to the image job, which builds from the context', () => {
    const jobs = gl('test-services-prebuild', '.gitlab/ci/ci-api.yml');
    expect(jobs['api:prebuild']['script']).toEqual(['cd "$CI_PROJECT_DIR/$CONTEXT"', 'npx nx build api']);
    expect(jobs['api:prebuild']['variables']['CONTEXT']).toBe('.');
    expect(jobs['api:prebuild']['artifacts']).toMatchObject({ untracked: true });
    expect(jobs['api:image']['needs']).toContainEqual({ job: 'api:prebuild', artifacts: true });
    expect(jobs['api:image']['variables']).toMatchObject({ CONTEXT: '.', DOCKERFILE_DIR: 'apps/api', DOCKERFILE_NAME: 'Dockerfile' });
  });

  it('a Dockerfile-only Rust service builds from its folder on both providers and runs cargo test', () => {
    const wf = gh('rust-dockerfile-only', '.github/workflows/ci-api.yml');
    expect((wf['jobs']['image']['steps'] as Obj[]).find((s) => s['id'] === 'build')!['with']).toMatchObject({ context: 'api', file: 'api/Dockerfile' });
    expect(uses(wf['jobs']['test'], 'dtolnay/rust-toolchain')!['with']).toEqual({ toolchain: '1.83' });
    expect((wf['jobs']['test']['steps'] as Obj[]).at(-1)!['run']).toBe('cargo test --locked');
    const jobs = gl('rust-dockerfile-only', '.gitlab/ci/ci-api.yml');
    expect(jobs['api:test']['image']).toBe('rust:1.83');
    expect(jobs['api:test']['script']).toEqual(['cargo test --locked']);
    expect(jobs['api:image']['variables']['CONTEXT']).toBe('api');
  });
});

describe('test services', () => {
  it('GitHub: job services with health checks, ports on localhost, and the env the tests read', () => {
    const test = gh('test-services-prebuild', '.github/workflows/ci-api.yml')['jobs']['test'];
    expect(test['services']).toEqual({
      postgres: {
        image: 'postgres:16-alpine', env: { POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'app' }, ports: ['5432:5432'],
        options: '--health-cmd "pg_isready" --health-interval 5s --health-timeout 5s --health-retries 20',
      },
      cache: { image: 'redis:7-alpine', ports: ['6379:6379'], options: '--health-cmd "redis-cli ping" --health-interval 5s --health-timeout 5s --health-retries 20' },
    });
    expect(test['env']).toEqual({ POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'app', POSTGRES_HOST: 'localhost', POSTGRES_PORT: '5432', CACHE_HOST: 'localhost', CACHE_PORT: '6379' });
    // Only the test job gets them.
    expect(gh('test-services-prebuild', '.github/workflows/ci-api.yml')['jobs']['image']['services']).toBeUndefined();
  });

  it('GitLab: services by alias beside the test job, with the same variables (host = the alias)', () => {
    const test = gl('test-services-prebuild', '.gitlab/ci/ci-api.yml')['api:test'];
    expect(test['services']).toEqual([{ name: 'postgres:16-alpine', alias: 'postgres' }, { name: 'redis:7-alpine', alias: 'cache' }]);
    expect(test['variables']).toMatchObject({ POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'app', POSTGRES_HOST: 'postgres', POSTGRES_PORT: '5432', CACHE_HOST: 'cache' });
  });
});

describe('toolchains of the languages built from their own Dockerfile', () => {
  const wf = (svc: string) => gh('other-languages', `.github/workflows/ci-${svc}.yml`);

  it('pinned setup actions for .NET, Ruby, PHP and Kotlin; Elixir runs in its official image', () => {
    expect(uses(wf('billing')['jobs']['test'], 'actions/setup-dotnet')!['with']).toEqual({ 'dotnet-version': '8.0.x' });
    expect(uses(wf('shop')['jobs']['test'], 'ruby/setup-ruby')!['with']).toEqual({ 'ruby-version': '3.3' });
    expect(uses(wf('cms')['jobs']['test'], 'shivammathur/setup-php')!['with']).toEqual({ 'php-version': '8.3', tools: 'composer:v2' });
    expect(uses(wf('ads')['jobs']['test'], 'actions/setup-java')!['with']).toEqual({ distribution: 'temurin', 'java-version': '21', cache: 'gradle' });
    expect(wf('chat')['jobs']['test']['container']).toBe('elixir:1.17');
  });

  it('a step whose command is empty is no step, and a service without check commands has no check job (both providers)', () => {
    const proxy = wf('proxy');
    expect(Object.keys(proxy['jobs'])).toEqual(['image', 'scan-report', 'publish']);
    expect(proxy['jobs']['image']['needs']).toBeUndefined();
    const gitlab = gl('other-languages', '.gitlab/ci/ci-proxy.yml');
    expect(Object.keys(gitlab).filter((k) => k.startsWith('proxy:'))).toEqual(['proxy:image', 'proxy:scan', 'proxy:push', 'proxy:sign']);
    for (const [name, spec] of [['github', CI_CASES['other-languages']!], ['gitlab', GITLAB_CASES['other-languages']!]] as const) {
      for (const [path, text] of Object.entries(renderCi(spec))) {
        if (!/\.ya?ml$/.test(path)) continue;
        const doc = parse(text) as Obj;
        const jobs: Obj[] = name === 'github' ? Object.values(doc['jobs'] ?? {}) : Object.values(doc).filter((j) => j && typeof j === 'object' && ('script' in j || 'before_script' in j));
        for (const job of jobs) {
          for (const s of (job['steps'] ?? []) as Obj[]) if ('run' in s) expect(String(s['run']).trim(), `${path}`).not.toBe('');
          for (const line of [...(job['before_script'] ?? []), ...(job['script'] ?? [])]) expect(String(line).trim(), `${path}`).not.toBe('');
        }
      }
    }
  });
});

describe('dependency updates: Renovate means no Dependabot', () => {
  const withTool = (tool: 'dependabot' | 'renovate' | 'none') => renderCi({ ...CI_CASES['node-npm']!, ci: { ...CI_CASES['node-npm']!.ci, dependencyUpdates: tool } });

  it('renovate: no .github/dependabot.yml, and docs/ci.md says how to keep actions pinned by SHA in Renovate terms', () => {
    const r = withTool('renovate');
    expect(r['.github/dependabot.yml']).toBeUndefined();
    const docs = r['docs/ci.md']!;
    const json = /```json\n(.+)\n```/.exec(docs)![1]!;
    expect(JSON.parse(json)['extends']).toContain('helpers:pinGitHubActionDigests');
    expect(docs).not.toMatch(/Dependabot \(`\.github\/dependabot\.yml`\) proposes/);
  });

  it('dependabot: the config is written and the docs name it; none: neither', () => {
    expect(parse(withTool('dependabot')['.github/dependabot.yml']!)['version']).toBe(2);
    expect(withTool('dependabot')['docs/ci.md']).toMatch(/Dependabot \(`\.github\/dependabot\.yml`\) proposes/);
    expect(withTool('none')['.github/dependabot.yml']).toBeUndefined();
    expect(withTool('none')['docs/ci.md']).not.toMatch(/pinGitHubActionDigests/);
  });

  it('docs/ci.md documents the drift check\'s trust decision and npm audit signatures', () => {
    const docs = withTool('dependabot')['docs/ci.md']!;
    expect(docs).toMatch(/npm audit signatures/);
    expect(docs).toMatch(/npx --yes devops-init@\d/);
    expect(docs).toMatch(/\.devops-init\/devops\.schema\.json/);
  });
});
