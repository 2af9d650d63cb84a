import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderedFiles } from '../../helpers/spec.js';
import { CI_CASES, renderCi } from './cases.js';

type Obj = Record<string, any>;

/** Split a Dockerfile into stages: each starts at a FROM line. */
function stages(dockerfile: string): string[] {
  return dockerfile.split(/^(?=FROM )/m).slice(1);
}

// No Dockerfile linter runs offline here (no hadolint, no buildx --check): these are structural tests.
describe('seeded Dockerfiles (structural checks)', () => {
  const everyDockerfile = Object.entries(CI_CASES).flatMap(([name, spec]) =>
    spec.services.map((svc) => ({ name: `${name}/${svc.name}`, svc, text: renderCi(spec)[svc.dockerfile]! })),
  );

  it.each(everyDockerfile)('$name: multi-stage, non-root UID 10001, exposes the port, no expressions', ({ svc, text }) => {
    expect(stages(text).length).toBeGreaterThanOrEqual(2);
    const runtime = stages(text).at(-1)!;
    expect(runtime).toMatch(/^USER 10001:10001$/m);
    expect(runtime).toMatch(new RegExp(`^EXPOSE ${svc.port}$`, 'm'));
    expect(text).not.toContain('${{');
    expect(text).not.toMatch(/:latest\b/);
  });

  it('pins base images to a full version (node/python/go) or Temurin build', () => {
    const r = renderCi(CI_CASES['node-npm']!);
    expect(r['Dockerfile']).toMatch(/^ARG NODE_VERSION=\d+\.\d+\.\d+$/m);
    expect(renderCi(CI_CASES['python-uv']!)['Dockerfile']).toMatch(/^ARG PYTHON_VERSION=3\.12\.\d+$/m);
    expect(renderCi(CI_CASES['go']!)['Dockerfile']).toMatch(/^ARG GO_VERSION=1\.25\.\d+$/m);
    expect(renderCi(CI_CASES['java-maven']!)['Dockerfile']).toMatch(/^ARG JAVA_VERSION=21\.\d+\.\d+_\d+$/m);
  });

  it('flags a version it cannot pin fully instead of guessing', () => {
    // Python 3.11 is not in the table: the file keeps "3.11" and says to pin it.
    const text = renderCi(CI_CASES['python-pip']!)['Dockerfile']!;
    expect(text).toMatch(/^ARG PYTHON_VERSION=3\.11$/m);
    expect(text).toMatch(/TODO: pin PYTHON_VERSION/);
  });

  it('Go runs on distroless static with CGO disabled', () => {
    const text = renderCi(CI_CASES['go']!)['Dockerfile']!;
    expect(text).toMatch(/CGO_ENABLED=0 go build/);
    expect(stages(text).at(-1)).toMatch(/^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m);
  });

  it('a workspace member builds from the workspace root with its own .dockerignore', () => {
    const r = renderCi(CI_CASES['node-pnpm-workspace-member']!);
    expect(r['apps/web/Dockerfile']).toMatch(/^RUN pnpm install --frozen-lockfile$/m);
    expect(r['apps/web/Dockerfile']).toMatch(/^WORKDIR \/app\/apps\/web$/m);
    expect(r['apps/web/Dockerfile.dockerignore']).toMatch(/^\*\*\/node_modules$/m);
  });

  it('passes the build command as a JSON exec-form string, so shell text stays data', () => {
    const r = renderCi(CI_CASES['node-pnpm-workspace-member']!);
    expect(r['apps/web/Dockerfile']).toContain('RUN ["sh", "-c", "pnpm build"]');
  });

  describe('with observability: zero-code OpenTelemetry per runtime', () => {
    const r = renderCi(CI_CASES['observability-all-stacks']!);
    it('Node preloads auto-instrumentations with --import plus the ESM loader hook (CommonJS and ES modules)', () => {
      const text = r['node-api/Dockerfile']!;
      const options = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(stages(text).at(-1)!)?.[1]?.split(' ');
      expect(options).toEqual([
        '--experimental-loader=@opentelemetry/instrumentation/hook.mjs',
        '--import', '@opentelemetry/auto-instrumentations-node/register',
      ]);
      expect(text).not.toMatch(/--require/);
      // ES module resolution ignores NODE_PATH: the packages sit in /node_modules, which every path under / searches.
      expect(stages(text).at(-1)).toMatch(/^COPY --from=otel \/otel\/node_modules \/node_modules$/m);
      expect(text).not.toMatch(/^ENV NODE_PATH/m);
      expect(text).toMatch(/@opentelemetry\/api@\d/);
    });
    it('Python wraps the start command with opentelemetry-instrument after bootstrapping instrumentations', () => {
      for (const dir of ['py-uv', 'py-poetry', 'py-pip']) {
        expect(r[`${dir}/Dockerfile`]).toMatch(/opentelemetry-bootstrap -a (install|requirements)/);
      }
      expect(r['py-uv/Dockerfile']).toMatch(/^CMD \["opentelemetry-instrument","uvicorn","app\.main:app",/m);
      expect(r['py-poetry/Dockerfile']).toMatch(/^CMD \["opentelemetry-instrument","gunicorn",/m);
    });
    it('Java loads the pinned agent through JAVA_TOOL_OPTIONS and says how to add a checksum', () => {
      const text = r['java-api/Dockerfile']!;
      expect(text).toMatch(/^ADD https:\/\/github\.com\/open-telemetry\/opentelemetry-java-instrumentation\/releases\/download\/v\d+\.\d+\.\d+\/opentelemetry-javaagent\.jar /m);
      expect(text).toMatch(/--checksum=sha256:/);
      expect(text).toMatch(/JAVA_TOOL_OPTIONS="[^"]*-javaagent:\/app\/opentelemetry-javaagent\.jar"/);
    });
    it('Go gets a pointer to otelhttp (no agent exists)', () => {
      expect(r['go-api/Dockerfile']).toMatch(/otelhttp\.NewHandler/);
    });
    it('without observability there is no instrumentation', () => {
      expect(renderCi(CI_CASES['node-npm']!)['Dockerfile']).not.toMatch(/opentelemetry/i);
    });
  });
});

describe('ownership', () => {
  it('workflows and dependabot are managed; Dockerfiles and .dockerignore are seeded', () => {
    const files = renderedFiles(CI_CASES['monorepo']!).filter((f) => f.practice === 'ci');
    const seeded = files.filter((f) => f.ownership === 'seeded').map((f) => f.path).sort();
    expect(seeded).toEqual([
      'apps/admin/Dockerfile', 'apps/admin/Dockerfile.dockerignore', 'apps/web/Dockerfile', 'apps/web/Dockerfile.dockerignore',
      'services/worker/.dockerignore', 'services/worker/Dockerfile',
    ]);
    expect(files.filter((f) => f.path.startsWith('.github/')).every((f) => f.ownership === 'managed')).toBe(true);
  });
});

// Dependabot has no offline validator: structural checks against its documented schema.
describe('dependabot.yml (structural checks)', () => {
  const updates = (name: keyof typeof CI_CASES): Obj[] => (parse(renderCi(CI_CASES[name]!)['.github/dependabot.yml']!) as Obj)['updates'];
  const pairs = (u: Obj[]) => u.map((e) => `${e['package-ecosystem']} ${e['directory']}`);

  it('monorepo: one npm entry at the workspace root, gomod and docker per service folder, actions at /', () => {
    expect(pairs(updates('monorepo'))).toEqual([
      'npm /', 'gomod /services/worker', 'docker /apps/web', 'docker /apps/admin', 'docker /services/worker', 'github-actions /',
    ]);
  });

  it('maps package managers to Dependabot ecosystems', () => {
    expect(pairs(updates('bun'))[0]).toBe('bun /');
    expect(pairs(updates('python-uv'))[0]).toBe('uv /');
    expect(pairs(updates('python-poetry'))[0]).toBe('pip /backend');
    expect(pairs(updates('java-gradle'))[0]).toBe('gradle /service');
    expect(pairs(updates('java-maven'))[0]).toBe('maven /');
  });

  it('every entry is weekly, grouped minor+patch, with a 7-day cooldown and a PR limit', () => {
    const doc = parse(renderCi(CI_CASES['observability-all-stacks']!)['.github/dependabot.yml']!) as Obj;
    expect(doc['version']).toBe(2);
    const seen = new Set<string>();
    for (const e of doc['updates'] as Obj[]) {
      const key = `${e['package-ecosystem']} ${e['directory']}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(Object.keys(e).sort()).toEqual(['cooldown', 'directory', 'groups', 'open-pull-requests-limit', 'package-ecosystem', 'schedule']);
      expect(e['schedule']).toEqual({ interval: 'weekly' });
      expect(e['cooldown']).toEqual({ 'default-days': 7 });
      expect(e['groups']['minor-and-patch']).toEqual({ patterns: ['*'], 'update-types': ['minor', 'patch'] });
      expect(e['directory']).toMatch(/^\//);
    }
  });
});
