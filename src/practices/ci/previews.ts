import type { Spec } from '../../spec/types.js';
import { PREVIEW_LABEL } from '../gitops/model.js';
import { imageRepository } from '../shared/image.js';
import { isWorkspaceMember, registryView } from './workflow.js';

/** Where the preview image workflow lives (one for all services). */
export const PREVIEWS_WORKFLOW = '.github/workflows/previews.yml';

/**
 * The tag every preview image gets: `sha-` and the first 7 characters of the pull
 * request's head commit, which is what the gitops practice's preview ApplicationSet
 * deploys (`sha-{{.head_short_sha_7}}`). metadata-action's `type=sha` writes it; the
 * length is pinned so an org-wide DOCKER_METADATA_SHORT_SHA_LENGTH cannot change it.
 */
export const PREVIEW_TAG = { prefix: 'sha-', shortShaLength: 7 } as const;

/** Preview images are built only when gitops renders the preview ApplicationSet. */
export function previewsEnabled(spec: Spec): boolean {
  return spec.practices.includes('gitops') && spec.gitops.previews;
}

/**
 * Data for templates/ci/previews.yml.hbs. One workflow builds every service: a preview
 * namespace runs all of them from the PR head, so per-service path filters (which skip
 * services a PR does not touch) must not decide what gets built here.
 */
export function previewsWorkflowData(spec: Spec): Record<string, unknown> {
  const first = spec.services[0]!;
  const label = PREVIEW_LABEL;
  return {
    label,
    runner: spec.ci.runner,
    // Rebuild only for events that change what the preview runs: a new head, or the label
    // being added. Fork PRs are skipped (their token cannot push; a label must not change that).
    conditions: [
      `contains(github.event.pull_request.labels.*.name, '${label}')`,
      `&& github.event.pull_request.head.repo.full_name == github.repository`,
      `&& (github.event.action != 'labeled' || github.event.label.name == '${label}')`,
    ],
    // Runs for unrelated labels get a group of their own, so they never cancel a build.
    concurrencySuffix: `github.event.action == 'labeled' && github.event.label.name != '${label}' && github.run_id || 'build'`,
    tag: { rule: `type=sha,prefix=${PREVIEW_TAG.prefix},format=short`, length: String(PREVIEW_TAG.shortShaLength) },
    // The build matrix: one entry per service.
    services: spec.services.map((svc) => ({
      service: svc.name,
      image: imageRepository(spec, svc),
      // Workspace members build from the workspace root, like the service workflow.
      context: isWorkspaceMember(svc) ? svc.workspaceRoot! : svc.path,
      file: svc.dockerfile,
    })),
    // One registry per spec: the first service's login covers all of them.
    registry: registryView(spec, first),
  };
}
