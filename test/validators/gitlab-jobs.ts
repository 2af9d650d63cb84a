import { parse } from 'yaml';
import { gitlabJobs } from '../../src/emit/gitlab-ci/extends.js';

type Obj = Record<string, any>;

const isGitlabCi = (p: string): boolean => p === '.gitlab-ci.yml' || /^\.gitlab\/ci\/.+\.ya?ml$/.test(p);

/**
 * Every job of a rendered GitLab pipeline as GitLab runs it: the top-level keys of every CI
 * file, `extends` resolved (src/emit/gitlab-ci/extends.ts, checked against gitlab-ci-local's
 * `--preview` in test/validators/gitlab-templates.test.ts). Hidden jobs are left out.
 */
export function resolvedGitlabJobs(record: Record<string, string>): Map<string, { file: string; job: Obj }> {
  return gitlabJobs(Object.entries(record).filter(([p]) => isGitlabCi(p)).map(([path, text]) => ({ path, doc: parse(text) as unknown })));
}

/** The same, as one object keyed by job name. */
export function resolvedGitlabJobObject(record: Record<string, string>): Obj {
  return Object.fromEntries([...resolvedGitlabJobs(record)].map(([k, v]) => [k, v.job]));
}
