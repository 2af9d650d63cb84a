import type { ImageModel, RegistryLogin, ServiceModel, ServicePipeline, ToolchainSetup } from '../../model/types.js';
import { dependencyDir, joinPath, NODE_LOCKFILES, isWorkspaceMember } from '../../model/service.js';
import type { Service, Spec } from '../../spec/types.js';
import { BUN_VERSION, GRADLE_VERSION, MAVEN_VERSION, POETRY_VERSION, UV_VERSION, baseImageVersion } from './versions.js';
import { usesMavenWrapper, usesWrapper } from './dockerfile.js';

/** Where a service's pipeline lives on disk is the emitter's business; its id is `ci-<service>`. */
export const servicePipelineId = (svc: Pick<Service, 'name'>): string => `ci-${svc.name}`;

/**
 * The official image a container-based CI job runs the checks in: the full (Debian-based) image
 * of the same pinned version the seeded Dockerfile builds from, so tests and image agree.
 */
export function toolchainImage(svc: Service): string {
  if (svc.packageManager === 'bun') return `oven/bun:${BUN_VERSION}`;
  const v = svc.version;
  switch (svc.language) {
    case 'node':
      return `node:${baseImageVersion('node', v).version}`;
    case 'python':
      return `python:${baseImageVersion('python', v).version}`;
    case 'go':
      return `golang:${baseImageVersion('go', v).version}`;
    case 'java':
      // No mvnw: the official Maven image (Temurin inside), as the seeded Dockerfile builds with.
      if (svc.packageManager === 'gradle' && !usesWrapper(svc, 'gradlew')) return `gradle:${GRADLE_VERSION}-jdk${baseImageVersion('java', v).version.split('.')[0]}`;
      if (svc.packageManager === 'maven' && !usesMavenWrapper(svc)) return `maven:${MAVEN_VERSION}-eclipse-temurin-${baseImageVersion('java', v).version.split('.')[0]}`;
      return `eclipse-temurin:${baseImageVersion('java', v).version}-jdk`;
    // The languages built from the team's own Dockerfile: their official toolchain images at
    // devops.yaml's version (init reads it from the Dockerfile's FROM).
    case 'kotlin':
      return `eclipse-temurin:${v}-jdk`;
    case 'dotnet':
      return `mcr.microsoft.com/dotnet/sdk:${v}`;
    case 'rust':
      return `rust:${v}`;
    case 'cpp':
      return `gcc:${v}`;
    case 'php':
      return `composer:2`;
    case 'ruby':
      return `ruby:${v}`;
    case 'elixir':
      return `elixir:${v}`;
    case 'container':
      // No language toolchain: make and a compiler for Makefile targets.
      return 'buildpack-deps:bookworm';
  }
}

/** What the check jobs set up: the toolchain and the folders its cache keys hash. */
function toolchain(svc: Service): ToolchainSetup {
  return {
    language: svc.language,
    version: svc.version,
    packageManager: svc.packageManager,
    dependencyDir: dependencyDir(svc),
    serviceDir: svc.path,
    image: toolchainImage(svc),
    pythonTools: { uv: UV_VERSION, poetry: POETRY_VERSION },
  };
}

/**
 * Paths that trigger a service's pipeline: its folder, its own pipeline file (the emitter adds
 * that), a Dockerfile outside the folder, and the workspace root's manifests for members.
 * A service at the repository root sees every change (undefined).
 */
function triggerPaths(svc: Service): string[] | undefined {
  if (svc.path === '.') return undefined;
  const paths = [`${svc.path}/**`];
  if (!svc.dockerfile.startsWith(`${svc.path}/`)) paths.push(svc.dockerfile);
  if (isWorkspaceMember(svc)) {
    const root = svc.workspaceRoot!;
    paths.push(joinPath(root, 'package.json'), joinPath(root, NODE_LOCKFILES[svc.packageManager] ?? 'package-lock.json'));
    if (svc.packageManager === 'pnpm') paths.push(joinPath(root, 'pnpm-workspace.yaml'));
  }
  return paths;
}

/** Lint and test run in parallel, then the image is built, scanned, pushed by digest and signed. */
export function servicePipeline(spec: Spec, svc: ServiceModel, image: ImageModel, registry: RegistryLogin): ServicePipeline {
  const s = svc.spec;
  const checks: ServicePipeline['checks'] = [];
  // A command that is empty (or only spaces) is no job: never an empty `run:`/`script:`.
  if (s.commands.lint?.trim()) checks.push({ id: 'lint', title: 'Lint', command: s.commands.lint, timeoutMinutes: 10 });
  if (s.commands.test?.trim()) checks.push({ id: 'test', title: 'Test', command: s.commands.test, timeoutMinutes: 15 });
  const pipeline: ServicePipeline = {
    kind: 'service',
    id: servicePipelineId(s),
    owner: 'ci',
    service: s.name,
    defaultBranch: spec.project.defaultBranch,
    ignorePaths: [],
    setup: toolchain(s),
    install: image.workspace ? { command: s.commands.install, dir: s.workspaceRoot! } : { command: s.commands.install },
    checks,
    image: { ...image, scanTag: `${s.name}:scan`, sarif: `trivy-${s.name}.sarif`, cacheScope: s.name },
    registry,
    signing: spec.ci.signing,
  };
  if (s.testServices?.length) pipeline.testServices = s.testServices.map((t) => ({ ...t }));
  const paths = triggerPaths(s);
  if (paths) pipeline.paths = paths;
  return pipeline;
}
