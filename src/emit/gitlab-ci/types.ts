/**
 * The subset of GitLab CI's job keywords the emitter writes, typed so a misspelt key is a
 * compile error (gitlab-ci-local validates the result against GitLab's schema in the tests).
 * Key order here is the order jobs are written in.
 */
export interface Rule {
  if?: string;
  changes?: string[] | { paths: string[]; compare_to?: string };
  when?: 'never' | 'manual' | 'on_success' | 'always';
  allow_failure?: boolean;
}

export interface Need {
  job: string;
  artifacts: boolean;
}

export interface Cache {
  key: string | { files: string[]; prefix?: string };
  paths: string[];
  policy?: 'pull' | 'push' | 'pull-push';
  when?: 'on_success' | 'on_failure' | 'always';
}

export interface Environment {
  name: string;
  action?: 'start' | 'prepare' | 'stop';
  on_stop?: string;
  auto_stop_in?: string;
  deployment_tier?: 'production' | 'staging' | 'testing' | 'development' | 'other';
}

export interface Job {
  stage: 'test' | 'deploy';
  image: string | { name: string; entrypoint: string[] };
  needs: (string | Need)[];
  rules?: Rule[];
  timeout: string;
  interruptible: boolean;
  resource_group?: string;
  tags?: string[];
  /** Containers beside the job (a test database), reachable by their alias. */
  services?: { name: string; alias: string; variables?: Record<string, string> }[];
  environment?: Environment;
  variables?: Record<string, string>;
  id_tokens?: Record<string, { aud: string }>;
  cache?: Cache[];
  before_script?: string[];
  script: string[];
  artifacts?: {
    paths?: string[];
    untracked?: boolean;
    exclude?: string[];
    reports?: { dotenv?: string; terraform?: string };
    expire_in?: string;
    when?: 'on_success' | 'on_failure' | 'always';
    access?: 'all' | 'developer' | 'none';
  };
  allow_failure?: boolean;
}

/** A job with the comment written above it. */
export interface NamedJob {
  name: string;
  comment: string[];
  job: Job;
}

/**
 * A job as a file writes it: whole, or thin (`extends` a shared hidden job and says only what
 * differs; extends.ts). Hidden jobs (`.name`) are templates and never run by themselves.
 */
export type WrittenJob = Partial<Job> & { extends?: string | string[] };

export interface WrittenNamedJob {
  name: string;
  comment: string[];
  job: WrittenJob;
}
