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
    spec.services.filter((svc) => ['node', 'python', 'go', 'java'].includes(svc.language)).map((svc) => ({ name: `${name}/${svc.name}`, svc, text: renderCi(spec)[svc.dockerfile]! })),
  );

  it.each(everyDockerfile)('$name: multi-stage, non-root UID 10001, exposes the port, no expressions', ({ svc, text }) => {
    expect(stages(text).length).toBeGreaterThanOrEqual(2);
    const runtime = stages(text).at(-1)!;
    expect(runtime).toMatch(/^USER 10001:10001$/m);
    expect(runtime).toMatch(new RegExp(`^EXPOSE ${svc.port}$`, 'm'));
    expect(text).not.toContain('${{');
    expect(text).not.toMatch(/:latest\b/);
  });

  /** The image of every FROM line, except stages built FROM an earlier stage. */
  const baseImages = (text: string): string[] => {
    const names = new Set<string>();
    const out: string[] = [];
    for (const m of text.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)) {
      if (!names.has(m[1]!)) out.push(m[1]!);
      if (m[2]) names.add(m[2]);
    }
    return out;
  };

  it('pins base images to a full version (node/python/go) or Temurin build, in literal FROM lines', () => {
    expect(baseImages(renderCi(CI_CASES['node-npm']!)['Dockerfile']!)).toEqual(expect.arrayContaining([expect.stringMatching(/^node:\d+\.\d+\.\d+-alpine$/)]));
    expect(baseImages(renderCi(CI_CASES['python-uv']!)['Dockerfile']!)).toEqual([expect.stringMatching(/^python:3\.12\.\d+-slim$/), expect.stringMatching(/^python:3\.12\.\d+-slim$/)]);
    expect(baseImages(renderCi(CI_CASES['go']!)['Dockerfile']!)[0]).toMatch(/^golang:1\.25\.\d+-alpine$/);
    expect(baseImages(renderCi(CI_CASES['java-maven']!)['Dockerfile']!)).toEqual([expect.stringMatching(/^eclipse-temurin:21\.\d+\.\d+_\d+-jdk$/), expect.stringMatching(/^eclipse-temurin:21\.\d+\.\d+_\d+-jre$/)]);
  });

  it('every FROM of every seeded Dockerfile is a literal image Dependabot/Renovate can update: no ARG interpolation (issue 9 #9)', () => {
    for (const { name, text } of everyDockerfile) {
      const froms = [...text.matchAll(/^FROM (.+)$/gm)].map((m) => m[1]!);
      expect(froms.length, name).toBeGreaterThan(0);
      for (const from of froms) expect(from, `${name}: FROM ${from}`).not.toMatch(/\$/);
      // No global ARG before the first FROM (the old NODE_VERSION pattern).
      expect(text.slice(0, text.search(/^FROM /m)), name).not.toMatch(/^ARG /m);
    }
    // The check itself catches the old form.
    expect('ARG NODE_VERSION=22.23.2\nFROM node:${NODE_VERSION}-alpine'.match(/^FROM (.+)$/m)![1]).toMatch(/\$/);
  });

  it('flags a version it cannot pin fully instead of guessing', () => {
    // Python 3.11 is not in the table: the file keeps "3.11" and says to pin it.
    const text = renderCi(CI_CASES['python-pip']!)['Dockerfile']!;
    expect(baseImages(text)[0]).toBe('python:3.11-slim');
    expect(text).toMatch(/TODO: pin the version in every FROM line/);
  });

  it('Maven without a wrapper builds with mvn in a Maven image and copies no .mvn/ or mvnw (issue 9 #3)', () => {
    const spec = structuredClone(CI_CASES['java-maven']!);
    spec.services[0]!.commands = { install: 'mvn -B dependency:go-offline', test: 'mvn -B verify', build: 'mvn -B -DskipTests package' };
    const text = renderCi(spec)['Dockerfile']!;
    const build = stages(text)[0]!;
    expect(build.split('\n')[0]).toMatch(/^FROM maven:\d+\.\d+\.\d+-eclipse-temurin-21 AS build$/);
    const copies = [...build.matchAll(/^COPY (.+)$/gm)].map((m) => m[1]!);
    expect(copies).toEqual(['pom.xml ./', 'src/ src/']);
    expect(build).not.toMatch(/mvnw|\.mvn\//);
    expect(build).toMatch(/^RUN mvn -B -q package -DskipTests/m);
    // The wrapper case keeps the wrapper.
    expect(stages(renderCi(CI_CASES['java-maven']!)['Dockerfile']!)[0]).toMatch(/^COPY mvnw pom\.xml \.\/$/m);
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
      // Installed from the shared lock (test/practices/observability/otel-node-lock.test.ts), never by name.
      const otel = stages(text).find((st) => / AS otel\n/.test(st))!;
      expect(otel.split('\n').filter((l) => /^[A-Z]+ /.test(l))).toEqual([
        expect.stringMatching(/^FROM node:\d+\.\d+\.\d+-alpine AS otel$/),
        'WORKDIR /otel',
        'COPY --from=otel-node package.json package-lock.json ./',
        'RUN npm ci --omit=dev --no-audit --no-fund',
      ]);
    });
    it('Python wraps the start command with opentelemetry-instrument after bootstrapping instrumentations', () => {
      for (const dir of ['py-uv', 'py-poetry', 'py-pip']) {
        expect(r[`${dir}/Dockerfile`]).toMatch(/opentelemetry-bootstrap -a (install|requirements)/);
      }
      expect(r['py-uv/Dockerfile']).toMatch(/^CMD \["opentelemetry-instrument","uvicorn","app\.main:app",/m);
      expect(r['py-poetry/Dockerfile']).toMatch(/^CMD \["opentelemetry-instrument","gunicorn",/m);
    });
    it('every OpenTelemetry package a Dockerfile installs by name carries an exact version (issue 9 #18)', () => {
      // Node names none: npm ci installs the shared lock (otel-node-lock.test.ts).
      expect(r['node-api/Dockerfile']!).not.toMatch(/npm install/);
      for (const dir of ['py-uv', 'py-poetry', 'py-pip']) {
        const text = r[`${dir}/Dockerfile`]!.replace(/\\\n/g, ' ');
        const named = [...text.matchAll(/(?:^|[\s"])((?:@opentelemetry\/|opentelemetry-)[a-z-]+(?:\[[a-z]+\])?)(\S*)/gm)]
          .filter((m) => /(pip|npm|uv pip) install/.test(text) && !m[1]!.startsWith('opentelemetry-bootstrap') && !m[1]!.startsWith('opentelemetry-instrument') && !m[1]!.startsWith('opentelemetry-javaagent') && !m[1]!.startsWith('@opentelemetry/instrumentation/') && !m[2]!.startsWith('/'))
          .filter((m) => !/^@opentelemetry\/auto-instrumentations-node\/register/.test(m[1]! + m[2]!));
        expect(named.length, dir).toBeGreaterThan(0);
        for (const m of named) expect(`${m[1]}${m[2]}`, dir).toMatch(/(==|@)\d/);
      }
    });
    it('Java loads the pinned agent through JAVA_TOOL_OPTIONS, resolved by Maven with strict checksums in its own stage (issue 9 #18)', () => {
      const text = r['java-api/Dockerfile']!;
      // A stage that fetches exactly one pinned coordinate with checksums enforced (-C), and the
      // runtime copies the jar from it. No floating download, no invented digest.
      const stage = text.split(/\n(?=FROM )/).find((st) => / AS otel-agent\n/.test(st));
      expect(stage, text).toBeDefined();
      expect(stage!).toMatch(/^FROM maven:\S+ AS otel-agent\n/);
      const run = stage!.split('\n').slice(1).join('\n').replace(/\\\n\s*/g, ' ').replace(/^RUN /, '').trim();
      expect(run).toMatch(/^mvn -B -q -C org\.apache\.maven\.plugins:maven-dependency-plugin:\d+\.\d+\.\d+:copy /);
      expect(run).toMatch(/-Dartifact=io\.opentelemetry\.javaagent:opentelemetry-javaagent:\d+\.\d+\.\d+(\s|$)/);
      expect(text).toMatch(/^COPY --from=otel-agent \/out\/opentelemetry-javaagent\.jar \/app\/opentelemetry-javaagent\.jar$/m);
      expect(text).not.toMatch(/^ADD /m);
      expect(text).not.toMatch(/[0-9a-f]{64}/);
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
