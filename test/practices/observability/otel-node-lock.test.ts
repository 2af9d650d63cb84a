import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditRepo } from '../../../src/commands/doctor-audit.js';
import { gitlabJobs } from '../../../src/emit/gitlab-ci/extends.js';
import { parseLock } from '../../../src/lock/lock.js';
import { OTEL_NODE_CONTEXT, OTEL_NODE_DIR, OTEL_NODE_FILES } from '../../../src/model/otel.js';
import { OTEL } from '../../../src/practices/ci/versions.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';

type Obj = Record<string, any>;

/**
 * Issue 9 item 18: Node's OpenTelemetry is installed with `npm ci` from one lock devops-init
 * ships (templates/observability/otel-node/), written once per repository to
 * .devops-init/otel/node/ and reached by every Node image build as the named build context
 * `otel-node`. Regenerate the lock with `node scripts/otel-node-lock.mjs`.
 */
const SHIPPED = fileURLToPath(new URL('../../../templates/observability/otel-node/', import.meta.url));
const pkg = JSON.parse(readFileSync(join(SHIPPED, 'package.json'), 'utf8')) as Obj;
const lock = JSON.parse(readFileSync(join(SHIPPED, 'package-lock.json'), 'utf8')) as Obj;
const PINNED = { '@opentelemetry/api': OTEL.nodeApi, '@opentelemetry/auto-instrumentations-node': OTEL.nodeAutoInstrumentations };
const CONTEXT_LINE = `${OTEL_NODE_CONTEXT}=${OTEL_NODE_DIR}`;

describe('the shipped OpenTelemetry Node lock', () => {
  it('pins exactly the versions src/practices/ci/versions.ts names (package.json, the lock root and its entries)', () => {
    expect(pkg['dependencies']).toEqual(PINNED);
    expect(lock['lockfileVersion']).toBe(3);
    expect(lock['name']).toBe(pkg['name']);
    const root = lock['packages'][''] as Obj;
    expect(root['name']).toBe(pkg['name']);
    expect(root['dependencies']).toEqual(PINNED);
    expect(root['devDependencies'] ?? {}).toEqual({});
    for (const [name, version] of Object.entries(PINNED)) expect(lock['packages'][`node_modules/${name}`]?.['version'], name).toBe(version);
  });

  it('gives every package a registry URL and a sha512 integrity (npm ci verifies each tarball)', () => {
    const entries = Object.entries(lock['packages'] as Record<string, Obj>).filter(([k]) => k !== '');
    expect(entries.length).toBeGreaterThan(100);
    for (const [path, e] of entries) {
      expect(path, path).toMatch(/^node_modules\//);
      expect(e['link'], path).toBeUndefined();
      expect(e['dev'], path).toBeUndefined();
      expect(e['version'], path).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
      expect(e['resolved'], path).toMatch(/^https:\/\/registry\.npmjs\.org\/\S+\/-\/\S+\.tgz$/);
      expect(e['integrity'], path).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    }
  });

  it('is complete and consistent: npm ls --package-lock-only --all succeeds (offline)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-node-lock-'));
    try {
      cpSync(SHIPPED, dir, { recursive: true });
      // --offline: the lock alone answers; nothing is fetched.
      const out = execFileSync('npm', ['ls', '--package-lock-only', '--all', '--offline', '--json'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const tree = JSON.parse(out) as Obj;
      expect(tree['problems'] ?? []).toEqual([]);
      for (const [name, version] of Object.entries(PINNED)) expect(tree['dependencies'][name]['version']).toBe(version);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Two Node services in subfolders, one Python, with CI on GitHub or GitLab. */
function spec(provider: 'github' | 'gitlab', practices = ['ci', 'gitops', 'observability']) {
  return makeSpec({
    practices,
    ci: provider === 'gitlab' ? { provider: 'gitlab', registry: 'gitlab' } : { registry: 'ghcr' },
    gitops: { previews: true },
    services: [
      { name: 'api', path: 'services/api', language: 'node', start: 'node server.js', commands: { test: 'npm test' } },
      { name: 'web', path: 'services/web', language: 'node', start: 'node server.js', commands: { test: 'npm test' } },
      { name: 'py', path: 'services/py', language: 'python', packageManager: 'uv', start: 'uvicorn app:app', commands: { test: 'uv run pytest' } },
    ],
  });
}

/** The Dockerfile's stages by name, each as its instruction lines. */
function stagesOf(dockerfile: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const stage of dockerfile.split(/^(?=FROM )/m).slice(1)) {
    const lines = stage.replace(/\\\n\s*/g, ' ').split('\n').filter((l) => /^[A-Z]+ /.test(l));
    out.set(/ AS (\S+)$/.exec(lines[0]!)?.[1] ?? '(runtime)', lines);
  }
  return out;
}

describe('a repository with Node services', () => {
  const files = renderRecord(spec('github'));

  it('gets the lock once, verbatim, in .devops-init/otel/node/ (not one copy per service)', () => {
    for (const f of OTEL_NODE_FILES) expect(files[f.path], f.path).toBe(readFileSync(fileURLToPath(new URL(`../../../templates/${f.shipped}`, import.meta.url)), 'utf8'));
    expect(Object.keys(files).filter((p) => p.endsWith('package-lock.json'))).toEqual([OTEL_NODE_FILES[1].path]);
  });

  it('each Node Dockerfile installs it with npm ci from the named context, and the runtime copies the result', () => {
    for (const svc of ['api', 'web']) {
      const stages = stagesOf(files[`services/${svc}/Dockerfile`]!);
      const otel = stages.get('otel')!;
      expect(otel.slice(1)).toEqual(['WORKDIR /otel', `COPY --from=${OTEL_NODE_CONTEXT} package.json package-lock.json ./`, 'RUN npm ci --omit=dev --no-audit --no-fund']);
      // The files it copies are the files the repository gets.
      for (const f of ['package.json', 'package-lock.json']) expect(files[`${OTEL_NODE_DIR}/${f}`]).toBeDefined();
      expect(stages.get('(runtime)')).toContain('COPY --from=otel /otel/node_modules /node_modules');
      // The exact local build is in the Dockerfile.
      expect(files[`services/${svc}/Dockerfile`]).toContain(`docker build --build-context ${CONTEXT_LINE} -f services/${svc}/Dockerfile services/${svc}`);
    }
  });

  it('GitHub: each Node caller passes the context to _image.yml, which hands it to build-push-action; previews too', () => {
    const image = parse(files['.github/workflows/_image.yml']!) as Obj;
    expect(image['on']['workflow_call']['inputs']['build-contexts']).toMatchObject({ type: 'string', default: '' });
    const build = (image['jobs']['image']['steps'] as Obj[]).find((s) => String(s['uses']).startsWith('docker/build-push-action@'))!;
    expect(build['with']['build-contexts']).toBe('${{ inputs.build-contexts }}');
    for (const svc of ['api', 'web']) {
      const caller = parse(files[`.github/workflows/ci-${svc}.yml`]!) as Obj;
      expect(caller['jobs']['image']['with']['build-contexts']).toBe(CONTEXT_LINE);
      // A new lock (a devops-init upgrade) rebuilds the Node images.
      expect(caller['on']['push']['paths']).toContain(`${OTEL_NODE_DIR}/**`);
      expect(caller['on']['pull_request']['paths']).toContain(`${OTEL_NODE_DIR}/**`);
    }
    const py = parse(files['.github/workflows/ci-py.yml']!) as Obj;
    expect(py['jobs']['image']['with']['build-contexts']).toBeUndefined();
    expect(py['on']['push']['paths']).not.toContain(`${OTEL_NODE_DIR}/**`);

    const previews = parse(files['.github/workflows/previews.yml']!) as Obj;
    const legs = previews['jobs']['image']['strategy']['matrix']['include'] as Obj[];
    expect(Object.fromEntries(legs.map((l) => [l['service'], l['build-contexts'] ?? null]))).toEqual({ api: CONTEXT_LINE, web: CONTEXT_LINE, py: null });
    const previewBuild = (previews['jobs']['image']['steps'] as Obj[]).find((s) => String(s['uses']).startsWith('docker/build-push-action@'))!;
    expect(previewBuild['with']['build-contexts']).toBe('${{ matrix.build-contexts }}');
  });

  it('GitLab: each Node image job (service and preview) sets BUILD_CONTEXTS, which the build script turns into BuildKit locals', () => {
    const gl = renderRecord(spec('gitlab'));
    const docs = Object.entries(gl).filter(([p]) => p.startsWith('.gitlab/')).map(([path, text]) => ({ path, doc: parse(text) as unknown }));
    const jobs = gitlabJobs(docs);
    for (const name of ['api:image', 'web:image', 'preview:api:image', 'preview:web:image']) {
      const job = jobs.get(name)?.job;
      expect(job, name).toBeDefined();
      expect((job!['variables'] as Record<string, string>)['BUILD_CONTEXTS'], name).toBe(CONTEXT_LINE);
      const script = (job!['script'] as string[]).join('\n');
      expect(script).toContain('for named in ${BUILD_CONTEXTS:-}; do');
      expect(script).toContain('set -- "$@" --local "$named" --opt "context:${named%%=*}=local:${named%%=*}"');
    }
    for (const name of ['py:image', 'preview:py:image']) expect((jobs.get(name)!.job['variables'] as Record<string, string> | undefined)?.['BUILD_CONTEXTS'], name).toBeUndefined();
    expect(JSON.stringify(jobs.get('api:image')!.job['rules'])).toContain(`${OTEL_NODE_DIR}/**`);
    expect(JSON.stringify(jobs.get('py:image')!.job['rules'])).not.toContain(OTEL_NODE_DIR);
    expect(gl[OTEL_NODE_FILES[1].path]).toBe(files[OTEL_NODE_FILES[1].path]);
  });

  it('the build script passes BUILD_CONTEXTS to buildctl as BuildKit documents it', () => {
    const gl = renderRecord(spec('gitlab'));
    const jobs = gitlabJobs(Object.entries(gl).filter(([p]) => p.startsWith('.gitlab/')).map(([path, text]) => ({ path, doc: parse(text) as unknown })));
    const job = jobs.get('api:image')!.job;
    const script = (job['script'] as string[]).join('\n');
    // Run the argument-building part of the script with a stand-in buildctl that prints its arguments.
    const head = script.slice(0, script.indexOf('buildctl-daemonless.sh'));
    const argv = execFileSync('sh', ['-c', `${head}printf '%s\\n' "$@"`], { env: { PATH: process.env['PATH']!, BUILDKIT_CACHE: '/nonexistent', BUILD_CONTEXTS: (job['variables'] as Record<string, string>)['BUILD_CONTEXTS']! }, encoding: 'utf8' }).trim().split('\n');
    expect(argv).toEqual(['--local', CONTEXT_LINE, '--opt', `context:${OTEL_NODE_CONTEXT}=local:${OTEL_NODE_CONTEXT}`]);
    const none = execFileSync('sh', ['-c', `${head}printf '%s\\n' "$#"`], { env: { PATH: process.env['PATH']!, BUILDKIT_CACHE: '/nonexistent' }, encoding: 'utf8' }).trim();
    expect(none).toBe('0');
  });

  it('docs/observability.md gives the exact local build of each Node service and how to adopt the lock', () => {
    const md = files['docs/observability.md']!;
    expect(md).toContain(`docker build --build-context ${CONTEXT_LINE} -f services/api/Dockerfile services/api`);
    expect(md).toContain(`docker build --build-context ${CONTEXT_LINE} -f services/web/Dockerfile services/web`);
    expect(md).toContain(`COPY --from=${OTEL_NODE_CONTEXT} package.json package-lock.json ./`);
    expect(md).toMatch(/Dockerfiles seeded before this lock/);
    // Python's limit is said plainly, with what to do.
    expect(md).toMatch(/Not pinned by devops-init: the Python packages' dependencies/);
    expect(md).toMatch(/--generate-hashes/);
  });
});

describe('without Node services or without ci', () => {
  it('writes no lock and passes no context', () => {
    const pyOnly = renderRecord(makeSpec({ practices: ['ci', 'observability'], services: [{ name: 'py', path: '.', language: 'python', packageManager: 'uv', commands: { test: 'pytest' } }] }));
    expect(Object.keys(pyOnly).filter((p) => p.startsWith('.devops-init/otel/'))).toEqual([]);
    expect(pyOnly['.github/workflows/ci-py.yml']).not.toContain('build-contexts');
    const noCi = renderRecord(spec('github', ['observability']));
    expect(Object.keys(noCi).filter((p) => p.startsWith('.devops-init/otel/'))).toEqual([]);
    const noOtel = renderRecord(spec('github', ['ci']));
    expect(Object.keys(noOtel).filter((p) => p.startsWith('.devops-init/otel/'))).toEqual([]);
    expect(noOtel['services/api/Dockerfile']).not.toMatch(/otel/i);
    expect(noOtel['.github/workflows/ci-api.yml']).not.toContain('build-contexts');
  });
});

describe('the lock may list the lock files devops-init writes in .devops-init/, and nothing else there', () => {
  const entry = { practice: 'observability', ownership: 'managed', hash: `sha256-${'0'.repeat(64)}` };
  const lockText = (files: Record<string, unknown>) => JSON.stringify({ version: 1, tool: '0.1.0', practices: ['observability'], spec: {}, files, skipped: [] });
  it('accepts them', () => {
    const parsed = parseLock(lockText(Object.fromEntries(OTEL_NODE_FILES.map((f) => [f.path, entry]))));
    expect(Object.keys(parsed.files).sort()).toEqual(OTEL_NODE_FILES.map((f) => f.path).sort());
  });
  it('still rejects the rest of the folder', () => {
    for (const p of ['.devops-init/lock.json', `${OTEL_NODE_DIR}/other.json`, '.devops-init/otel/node', '.devops-init/templates/x.yml']) {
      expect(() => parseLock(lockText({ [p]: entry })), p).toThrow(/devops-init's own folder/);
    }
  });
});

describe('doctor: a Dockerfile that installs Node OpenTelemetry by name (seeded before the lock, or the team\'s own)', () => {
  const OLD_STAGE = ['FROM node:22.23.2-alpine AS otel', 'WORKDIR /otel', 'RUN npm install --omit=dev --no-package-lock \\', '    @opentelemetry/api@1.10.0 \\', '    @opentelemetry/auto-instrumentations-node@0.82.0', ''].join('\n');
  function audit(files: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'otel-doctor-'));
    try {
      for (const [p, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, p)), { recursive: true });
        writeFileSync(join(dir, p), text);
      }
      return auditRepo(dir).findings.filter((f) => f.rule === 'unlocked-otel-install');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  it('is a finding that points at the lock when the repository has it', () => {
    const found = audit({ 'services/api/Dockerfile': OLD_STAGE, [OTEL_NODE_FILES[1].path]: '{}' });
    expect(found.map((f) => f.file)).toEqual(['services/api/Dockerfile']);
    expect(found[0]!.fix).toContain(`COPY --from=${OTEL_NODE_CONTEXT} package.json package-lock.json ./`);
    expect(audit({ 'Dockerfile': OLD_STAGE })[0]!.fix).toMatch(/npm ci/);
  });
  it('is no finding for the seeded Dockerfile of today', () => {
    const files = renderRecord(spec('github'));
    expect(audit({ 'services/api/Dockerfile': files['services/api/Dockerfile']!, [OTEL_NODE_FILES[1].path]: files[OTEL_NODE_FILES[1].path]! })).toEqual([]);
  });
});
