import type { Spec } from '../spec/types.js';

/**
 * Where each CI provider's emitter writes a pipeline, by pipeline id: the one place docs (which
 * practices write) and emitters agree on it.
 * - GitHub Actions: one workflow per pipeline, `.github/workflows/<id>.yml`.
 * - GitLab CI: one included file per pipeline, `.gitlab/ci/<id>.yml`, pulled in by
 *   `.gitlab/ci/devops-init.yml` (which the root `.gitlab-ci.yml` includes).
 */
export function pipelineFile(provider: Spec['ci']['provider'], id: string): string {
  return provider === 'gitlab' ? `.gitlab/ci/${id}.yml` : `.github/workflows/${id}.yml`;
}

/** GitLab CI's root file: it only includes the entry file, so a team's own root file needs one line. */
export const GITLAB_ROOT_FILE = '.gitlab-ci.yml';
/** The generated pipeline's entry: workflow rules and an include per pipeline file. */
export const GITLAB_ENTRY_FILE = '.gitlab/ci/devops-init.yml';
