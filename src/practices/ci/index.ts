import { toolVersion } from '../../version.js';
import type { FileSpec, Practice } from '../types.js';
import type { Spec } from '../../spec/types.js';
import { assertSafeCommands } from './commands.js';
import { dependabotConfig } from './dependabot.js';
import { dockerfileData, dockerignoreData, dockerignorePath, dockerTemplate } from './dockerfile.js';
import { ciHandbook } from './handbook.js';
import { PREVIEWS_WORKFLOW, previewsEnabled, previewsWorkflowData } from './previews.js';
import { ciQuestions } from './questions.js';
import { GITLEAKS_IMAGE } from './versions.js';
import { serviceWorkflowData, serviceWorkflowPath } from './workflow.js';

/**
 * CI/CD on GitHub Actions: a hardened workflow per service (lint, test, image build,
 * Trivy scan, push by digest, signing, and staging promotion with GitOps), preview images
 * for labelled pull requests (GitOps previews), a security workflow, the devops-init drift check, Dependabot, and seeded Dockerfiles.
 */
function ciFiles(spec: Spec): FileSpec[] {
  const files: FileSpec[] = [];
  for (const svc of spec.services) {
    assertSafeCommands(svc);
    files.push({
      path: serviceWorkflowPath(svc),
      template: 'ci/service-workflow.yml.hbs',
      data: serviceWorkflowData(spec, svc),
      ownership: 'managed',
    });
  }
  if (previewsEnabled(spec)) {
    files.push({ path: PREVIEWS_WORKFLOW, template: 'ci/previews.yml.hbs', data: previewsWorkflowData(spec), ownership: 'managed' });
  }
  files.push(
    { path: '.github/workflows/security.yml', template: 'ci/security.yml.hbs', data: { gitleaksImage: GITLEAKS_IMAGE }, ownership: 'managed' },
    { path: '.github/workflows/devops-check.yml', template: 'ci/devops-check.yml.hbs', data: { toolVersion: toolVersion() }, ownership: 'managed' },
    { path: '.github/dependabot.yml', template: 'ci/dependabot.yml.hbs', data: { config: dependabotConfig(spec) }, ownership: 'managed' },
  );
  for (const svc of spec.services) {
    files.push(
      { path: svc.dockerfile, template: dockerTemplate(svc), data: dockerfileData(spec, svc), ownership: 'seeded' },
      { path: dockerignorePath(svc), template: 'ci/docker/dockerignore.hbs', data: dockerignoreData(svc), ownership: 'seeded' },
    );
  }
  return files;
}

export const ciPractice: Practice = {
  id: 'ci',
  title: 'CI/CD (GitHub Actions)',
  handbook: ciHandbook,
  requires: [],
  questions: ciQuestions,
  files: ciFiles,
};
