/**
 * What `detect()` learns about a repository. Read-only facts: the ask step turns them into
 * defaults for devops.yaml, and `init --dry-run` prints them (see describe.ts).
 */
import type { Language, PackageManager } from '../spec/types.js';

export interface DetectedService {
  /** DNS-1123 label derived from the manifest name or folder. */
  name: string;
  /** Repo-relative POSIX folder, '.' for root. */
  path: string;
  language: Language;
  /** Runtime version ("22", "3.12", "1.23", "21"); undefined if nothing says. */
  version?: string;
  packageManager: PackageManager;
  commands: { install: string; lint?: string; test?: string; build?: string };
  /** Only when a reliable source says (Dockerfile EXPOSE, server.port, PORT in .env.example). */
  port?: number;
  /** Repo-relative path of an EXISTING Dockerfile for this service. */
  dockerfile?: string;
  /**
   * The command the container runs (devops.yaml services[].start), only when the project says it
   * plainly: a `node <file>` start script or main (Node), a framework's server with its app object
   * (Python). Unset when an existing Dockerfile is reused: that file already decides.
   */
  start?: string;
  /** Node workspace members: the folder holding the workspace lockfile ('.' = repository root). */
  workspaceRoot?: string;
  /** Human lines explaining each decision, e.g. "pnpm-lock.yaml → package manager pnpm". */
  reasons: string[];
}

export type MonorepoKind = 'npm-workspaces' | 'pnpm-workspaces' | 'yarn-workspaces' | 'go-work' | 'folders';

export interface RepoFacts {
  root: string;
  /** From the root manifest name or the folder name, sanitised to a DNS label. */
  projectName: string;
  /** "owner/repo" from the origin remote in .git/config. */
  repository?: string;
  /** The origin remote's host (lowercase) and full project path (GitLab paths may have subgroups). */
  remote?: { host: string; path: string };
  /** From .git (origin's HEAD when known, else the checked-out branch). */
  defaultBranch?: string;
  monorepo?: MonorepoKind;
  /** One per deployable, sorted by path. */
  services: DetectedService[];
  /** Repo-relative paths of .github/workflows/*.yml|yaml. */
  existingWorkflows: string[];
  /** Anything the user should know (defaults taken, files that could not be read). */
  notes: string[];
}
