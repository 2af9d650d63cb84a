import type { Model } from '../../model/types.js';
import { GITLAB_ENTRY_FILE, GITLAB_ROOT_FILE } from '../../model/pipeline-files.js';
import { buildContext, isWorkspaceMember } from '../../model/service.js';
import type { Spec } from '../../spec/types.js';
import { toolVersion } from '../../version.js';
import { ciConfig } from './config.js';
import type { Practice } from '../types.js';
import { assertSafeCommands } from './commands.js';
import { dependencyUpdates } from './dependabot.js';
import { dockerfileData, dockerignoreData, dockerignorePath, dockerTemplate, seedsDockerfile } from './dockerfile.js';
import { ciHandbook } from './handbook.js';
import { imageRepository, registryLogin } from './image.js';
import { servicePipeline } from './pipeline.js';
import { ciQuestions } from './questions.js';
import { BUN_VERSION, GITLEAKS_IMAGE } from './versions.js';

/**
 * Which devops-init the drift check runs, decided when it runs (devops-init never reads or edits
 * the team's package.json): when the root package.json lists devops-init and an npm or pnpm
 * lockfile pins it, that copy (the package manager verifies the lockfile's integrity hashes);
 * otherwise the exact version that wrote these files, from the registry. docs explain the
 * trust decision and `npm audit signatures`.
 */
export const DRIFT_CHECK_SCRIPT = [
  'set -eu',
  'if [ -f package.json ] && node -e \'const p = require("./package.json"); const d = { ...p.dependencies, ...p.devDependencies }; process.exit(d["devops-init"] ? 0 : 1)\'; then',
  '  if [ -f package-lock.json ]; then',
  '    npm ci --ignore-scripts',
  '    exec npx --no-install devops-init check',
  '  elif [ -f pnpm-lock.yaml ]; then',
  '    corepack enable',
  '    pnpm install --frozen-lockfile --ignore-scripts',
  '    exec pnpm exec devops-init check',
  '  fi',
  'fi',
  'exec npx --yes "devops-init@${DEVOPS_INIT_VERSION}" check',
].join('\n');

/**
 * CI/CD: every service gets an image (build context, Dockerfile, registry repository) and a
 * pipeline (lint, test, build, Trivy scan, push by digest, signing); the repository gets a
 * security pipeline, the devops-init drift check, dependency updates and seeded Dockerfiles.
 * The CI provider's emitter (`ci.provider`: GitHub Actions or GitLab CI) writes the files.
 */
function contribute(spec: Spec, model: Model): void {
  // iac sets the registry when it provisions it (ECR and its push roles); it wins over ci.aws.
  const registry = (model.registry ??= registryLogin(spec));
  for (const svc of model.services) {
    assertSafeCommands(svc.spec);
    svc.image = {
      repository: imageRepository(spec, svc.spec, registry),
      context: buildContext(svc.spec),
      dockerfile: svc.spec.dockerfile,
      workspace: isWorkspaceMember(svc.spec),
      // Late: observability adds the OpenTelemetry lock's context after ci contributed.
      namedContexts: () => ({ ...svc.buildContexts }),
    };
    const prebuild = svc.spec.commands.prebuild?.trim();
    if (prebuild) svc.image.prebuild = prebuild;
    const pipeline = servicePipeline(spec, svc, svc.image, registry);
    if (svc.spec.packageManager === 'bun') pipeline.setup.bunVersion = BUN_VERSION;
    model.pipelines.push(pipeline);
  }
  const branch = spec.project.defaultBranch;
  model.pipelines.push(
    { kind: 'security', id: 'security', owner: 'ci', defaultBranch: branch, gitleaksImage: GITLEAKS_IMAGE },
    { kind: 'drift-check', id: 'devops-check', owner: 'ci', defaultBranch: branch, toolVersion: toolVersion(), script: DRIFT_CHECK_SCRIPT },
  );
  model.dependencyUpdates = dependencyUpdates(spec);
  if (spec.ci.provider === 'gitlab') {
    model.warnings.push({
      owner: 'ci',
      ifSkipped: GITLAB_ROOT_FILE,
      unlessContains: GITLAB_ENTRY_FILE,
      text: `${GITLAB_ROOT_FILE} is your own, so devops-init left it alone: add this to it to run the generated pipelines:\n  include:\n    - local: ${GITLAB_ENTRY_FILE}`,
    });
  }
  // Seeded Dockerfiles for the languages devops-init knows; other services build their own.
  for (const svc of model.services.filter((s) => seedsDockerfile(s.spec))) {
    model.files.push(
      { owner: 'ci', path: svc.spec.dockerfile, template: dockerTemplate(svc.spec), data: () => dockerfileData(svc, spec.ci.provider), ownership: 'seeded', service: svc.name },
      // Only with the Dockerfile it belongs to: never beside a Dockerfile the team owns.
      { owner: 'ci', path: dockerignorePath(svc.spec), template: 'ci/docker/dockerignore.hbs', data: dockerignoreData(svc.spec), ownership: 'seeded', companionOf: svc.spec.dockerfile, service: svc.name },
    );
  }
}

export const ciPractice: Practice = {
  id: 'ci',
  title: 'CI/CD (GitHub Actions or GitLab CI)',
  handbook: ciHandbook,
  providers: {
    key: 'ci.provider',
    choices: [
      { value: 'github', name: 'GitHub Actions', description: '.github/workflows/*.yml and Dependabot' },
      { value: 'gitlab', name: 'GitLab CI', description: '.gitlab-ci.yml including .gitlab/ci/*.yml' },
    ],
  },
  config: ciConfig,
  questions: ciQuestions,
  contribute,
};
