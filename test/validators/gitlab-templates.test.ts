import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeOver, resolveExtends, thinOverlay } from '../../src/emit/gitlab-ci/extends.js';
import { serviceJobs } from '../../src/emit/gitlab-ci/service.js';
import { templateFiles, templatesByName, thinServiceJobs } from '../../src/emit/gitlab-ci/templates.js';
import type { ServicePipeline } from '../../src/model/types.js';
import { parseSpec } from '../../src/spec/load.js';
import { buildModel } from '../../src/model/build.js';
import { contributionOrder } from '../../src/practices/index.js';
import { computeRepoTree } from '../../src/tree/repo.js';
import { previewPipeline } from './gitlab-ci-local.js';
import { resolvedGitlabJobs } from './gitlab-jobs.js';

type Obj = Record<string, any>;

/**
 * Issue 13, GitLab: per-service files are thin jobs that `extends` shared hidden jobs in
 * .gitlab/ci/templates/. What GitLab runs after merging must be exactly the whole jobs
 * devops-init wrote before (serviceJobs). Proven three ways: the merge semantics on GitLab's
 * documented examples, our resolution of every golden case against the whole jobs, and
 * gitlab-ci-local's own `--preview` (GitLab's merge, implemented by someone else) against ours.
 */

describe('extends, as GitLab documents it', () => {
  it('deep-merges hashes and replaces arrays (gitlab-org/gitlab!72511 examples, and script)', () => {
    const base = { variables: { VAR1: 'hello' }, script: ['exit 0'], rules: [{ if: '$A' }] };
    expect(mergeOver(base, { variables: { VAR2: 'mello' } })).toEqual({ variables: { VAR1: 'hello', VAR2: 'mello' }, script: ['exit 0'], rules: [{ if: '$A' }] });
    expect(mergeOver(base, { script: ['make'], rules: [{ if: '$B' }] })).toEqual({ variables: { VAR1: 'hello' }, script: ['make'], rules: [{ if: '$B' }] });
  });

  it('resolves parents in order (later wins), nested, and the job\'s own keys last', () => {
    const r = resolveExtends({
      '.a': { timeout: '10m', variables: { X: 'a', Y: 'a' } },
      '.b': { extends: '.a', variables: { Y: 'b' } },
      '.c': { timeout: '5m' },
      job: { extends: ['.b', '.c'], variables: { Z: 'job' }, script: ['true'] },
    });
    expect(r['job']).toEqual({ timeout: '5m', variables: { X: 'a', Y: 'b', Z: 'job' }, script: ['true'] });
    expect(() => resolveExtends({ job: { extends: '.missing' } })).toThrow(/\.missing/);
    expect(() => resolveExtends({ '.a': { extends: '.b' }, '.b': { extends: '.a' } })).toThrow(/cycle/);
  });

  it('thinOverlay writes only what differs, and merging it back gives the whole job', () => {
    const base = { stage: 'test', timeout: '15m', variables: { A: '1', B: '2' }, script: ['x'] };
    const full = { stage: 'test', timeout: '10m', variables: { A: '1', B: '3', C: '4' }, script: ['x'], needs: [] };
    const thin = thinOverlay(full, base);
    expect(thin).toEqual({ timeout: '10m', variables: { B: '3', C: '4' }, needs: [] });
    expect(mergeOver(base, thin)).toEqual(full);
    // A template that sets a key the job must not have cannot be expressed: an error, not a wrong job.
    expect(() => thinOverlay({ stage: 'test' }, { stage: 'test', allow_failure: true }, 'api:scan')).toThrow(/api:scan: the template sets allow_failure/);
  });
});

const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));
const CASES = readdirSync(GOLDEN, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name.startsWith('gitlab-')).map((e) => e.name).sort();
const specOf = (name: string) => parseSpec(readFileSync(join(GOLDEN, name, 'devops.yaml'), 'utf8')).spec;
const ciFiles = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).filter(([p]) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/ci/')));

describe.each(CASES)('GitLab templates, golden case %s', (name) => {
  const spec = specOf(name);
  const record = computeRepoTree(spec).toRecord();
  const model = buildModel(spec, contributionOrder());
  const services = model.pipelines.filter((p): p is ServicePipeline => p.kind === 'service');
  const ctx = { url: spec.ci.gitlab.url.replace(/\/+$/, ''), project: spec.project.name, ...(spec.ci.gitlab.runnerTags.length ? { tags: spec.ci.gitlab.runnerTags } : {}) };
  const resolved = resolvedGitlabJobs(record);

  it('each service job, resolved through its templates, is the whole job (same images, scripts, rules, needs, caches, timeouts, id_tokens)', () => {
    expect(services.length).toBeGreaterThan(0);
    for (const p of services) {
      for (const whole of serviceJobs(p, ctx)) {
        const got = resolved.get(whole.name);
        expect(got?.file, whole.name).toBe(`.gitlab/ci/ci-${p.service}.yml`);
        expect(got!.job, whole.name).toEqual(JSON.parse(JSON.stringify(whole.job)));
      }
    }
  });

  it('per-service files are thin: every job extends a template; scripts, images and logins live only in the templates', () => {
    for (const p of services) {
      const doc = parse(record[`.gitlab/ci/ci-${p.service}.yml`]!) as Obj;
      for (const [job, body] of Object.entries(doc)) {
        if (!job.startsWith('.')) expect(body['extends'], job).toBeDefined();
        const text = JSON.stringify(body);
        for (const shared of ['buildctl-daemonless.sh', 'trivy image', 'skopeo copy', 'cosign sign', 'docker_login', 'kustomize edit set image', 'moby/buildkit', 'aquasec/trivy', 'id_tokens']) {
          expect(text, `${job} repeats ${shared}`).not.toContain(shared);
        }
      }
    }
    // The budget: a service's file was about 13 KB of whole jobs; thin, it stays under 6 KB (issue 13).
    for (const p of services) expect(Buffer.byteLength(record[`.gitlab/ci/ci-${p.service}.yml`]!), p.service).toBeLessThan(6_000);
    // Only the toolchains in use get a template file.
    const languages = [...new Set(services.map((p) => p.setup.language))].sort();
    expect(Object.keys(record).filter((p) => p.startsWith('.gitlab/ci/templates/')).sort()).toEqual(['image', ...languages].map((l) => `.gitlab/ci/templates/${l}.yml`).sort());
  });

  it('gitlab-ci-local --preview (GitLab\'s merge, not ours) gives the same jobs', () => {
    const r = previewPipeline(ciFiles(record));
    expect(r.errors).toEqual([]);
    const norm = (key: string, v: any): any => {
      if (key === 'image' && typeof v === 'string') return { name: v };
      if (key === 'cache') return (v as Obj[]).map((c) => ({ policy: 'pull-push', when: 'on_success', ...c }));
      if (key === 'needs') return (v as (string | Obj)[]).map((n) => (typeof n === 'string' ? { job: n } : { optional: false, ...n }));
      return v;
    };
    let compared = 0;
    for (const p of services) {
      for (const whole of serviceJobs(p, ctx)) {
        const ours = resolved.get(whole.name)!.job;
        const theirs = r.merged[whole.name] as Obj;
        expect(theirs, whole.name).toBeDefined();
        for (const [k, v] of Object.entries(ours)) expect(norm(k, theirs[k]), `${whole.name}.${k}`).toEqual(norm(k, v));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(4);
  });
});

describe('GitLab templates fail loudly, never silently differ', () => {
  const spec = specOf('gitlab-shop');
  const model = buildModel(spec, contributionOrder());
  const services = model.pipelines.filter((p): p is ServicePipeline => p.kind === 'service');
  const ctx = { url: 'https://gitlab.com', project: spec.project.name };

  it('a template that says more than a service\'s job is refused', () => {
    const templates = templatesByName(templateFiles(services, ctx));
    expect(() => thinServiceJobs(services[0]!, ctx, templates)).not.toThrow();
    const broken = { ...templates, '.image-scan': { ...templates['.image-scan'], allow_failure: true } };
    expect(() => thinServiceJobs(services[0]!, ctx, broken)).toThrow(/:scan: the template sets allow_failure/);
  });

  it('gitlab-ci-local rejects a per-service file whose template is missing', () => {
    const record = ciFiles(computeRepoTree(spec).toRecord());
    const r = previewPipeline({ ...record, '.gitlab/ci/templates/image.yml': record['.gitlab/ci/templates/image.yml']!.replace('.image-build:', '.image-built:') });
    expect(r.ok).toBe(false);
    expect(r.errors.join('\n')).toMatch(/image-build/);
  });
});
