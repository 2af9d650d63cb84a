import type { Rule } from './types.js';

/**
 * `rules:if` conditions, written as in GitLab's docs (the YAML writer single-quotes them, so
 * the backslashes are the pattern's own). A `/` inside a pattern must be escaped even in a
 * character class: GitLab ends the pattern at the first unescaped one.
 */
export const IF = {
  mergeRequest: '$CI_PIPELINE_SOURCE == "merge_request_event"',
  defaultBranch: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
  branch: '$CI_COMMIT_BRANCH',
  schedule: '$CI_PIPELINE_SOURCE == "schedule"',
  /**
   * A promotion branch (CI's `promote-staging/<service>`, the production job's `promote/<service>`)
   * or its merge request: only GitOps files change, and its pipeline only needs the repository checks.
   */
  promotionRequest: String.raw`$CI_MERGE_REQUEST_SOURCE_BRANCH_NAME =~ /^promote(-staging)?\// || $CI_COMMIT_BRANCH =~ /^promote(-staging)?\//`,
  /**
   * A merged promotion on the default branch. Its commit message names it: the promotion
   * commit itself ("deploy(staging): …") on fast-forward merges, the merge request's title
   * (the same words) in GitLab's default merge and squash commit messages.
   */
  promotionMerge: String.raw`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_COMMIT_MESSAGE =~ /deploy\((staging|production)\): /`,
} as const;

/**
 * Merge request pipelines replace branch pipelines while a merge request is open, so a push
 * never runs twice (GitLab's documented "switch between branch and MR pipelines" rules).
 * Branches without a merge request still get a branch pipeline; tags get none.
 */
export const WORKFLOW_RULES: Rule[] = [
  { if: IF.mergeRequest },
  { if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never' },
  { if: IF.branch },
];

/** Where a pipeline's jobs run, as path filters (undefined: every change). */
export interface Trigger {
  paths?: string[];
  defaultBranch: string;
  /** Also skip merged promotions on the default branch (the service folder contains the GitOps folder). */
  skipPromotionMerges: boolean;
}

/**
 * `changes` for a branch pipeline outside the default branch: compared with the default branch
 * (GitLab otherwise compares with the previous push, and a new branch's first push runs every job).
 * Merge request pipelines compare with the target branch by themselves; default-branch pushes
 * with what the push added.
 */
function changes(paths: string[], compareTo?: string): Rule['changes'] {
  return compareTo ? { paths, compare_to: compareTo } : { paths };
}

/** What never runs a pipeline's jobs: promotion merge requests, schedules (security only), merged promotions where the filter cannot tell. */
function exclusions(t: Trigger): Rule[] {
  const rules: Rule[] = [
    { if: IF.promotionRequest, when: 'never' },
    { if: IF.schedule, when: 'never' },
  ];
  if (t.skipPromotionMerges) rules.push({ if: IF.promotionMerge, when: 'never' });
  return rules;
}

/** Checks and image builds: merge requests, the default branch and other branches, each filtered by the paths. */
export function checkRules(t: Trigger): Rule[] {
  const rules = exclusions(t);
  if (!t.paths) return [...rules, { if: IF.mergeRequest }, { if: IF.branch }];
  return [
    ...rules,
    { if: IF.mergeRequest, changes: changes(t.paths) },
    { if: IF.defaultBranch, changes: changes(t.paths) },
    { if: IF.branch, changes: changes(t.paths, `refs/heads/${t.defaultBranch}`) },
  ];
}

/** Push, sign and promote: the default branch only, with the same path filter. */
export function publishRules(t: Trigger): Rule[] {
  return [...exclusions(t), t.paths ? { if: IF.defaultBranch, changes: changes(t.paths) } : { if: IF.defaultBranch }];
}
