/**
 * Typed errors. Only src/cli.ts maps them to exit codes and calls process.exit.
 * Messages are for people: what happened, why, and what to do next.
 */

export const EXIT = { ok: 0, drift: 1, usage: 2, internal: 70, cancelled: 130 } as const;

/** Base class: carries the exit code the CLI should use. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments, or a question that needs an answer without a TTY. Exit 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** One problem in devops.yaml (or another input file) with its position. */
export interface SpecProblem {
  file: string;
  line: number;
  col: number;
  message: string;
  fix?: string;
}

/** devops.yaml (or the lock) is invalid. Exit 2, nothing written. */
export class SpecError extends CliError {
  constructor(readonly problems: SpecProblem[]) {
    super(
      problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}${p.fix ? ` — ${p.fix}` : ''}`).join('\n'),
      EXIT.usage,
    );
  }
}

/** The user pressed Ctrl-C or declined. Exit 130; the message says what was (un)done. */
export class CancelledError extends CliError {
  constructor(message = 'Cancelled; nothing was written.') {
    super(message, EXIT.cancelled);
  }
}

/** A precondition is not met (dirty tree, missing git). Exit 1 with the fix. */
export class PreconditionError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.drift, hint);
  }
}

/**
 * devops.yaml makes devops-init generate a path it must not write: two files on one path
 * (a Dockerfile pointing at a generated file) or an unsafe one. A user error (exit 2);
 * commands turn it into a SpecError at the value responsible when they can find it.
 */
export class OutputPathError extends CliError {
  constructor(readonly path: string, readonly why: string) {
    super(`devops.yaml makes devops-init generate ${JSON.stringify(path)}, which ${why}.`, EXIT.usage, 'Check the service paths, dockerfile and gitops.dir values in devops.yaml.');
  }
}

/** A bug in devops-init itself (for example a template that renders invalid YAML). */
export class InternalError extends CliError {
  constructor(message: string) {
    super(message, EXIT.internal, 'This is a bug in devops-init. Please report it with the command you ran and this message.');
  }
}

/**
 * An operating-system refusal (permissions, a full disk…) that reached the entry point
 * outside apply (which reports its own): said plainly, exit 1, not as a bug. Undefined for
 * anything else.
 */
export function systemErrorMessage(e: unknown): string | undefined {
  const x = e as NodeJS.ErrnoException;
  const words: Record<string, string> = { EACCES: 'permission denied', EPERM: 'operation not permitted', ENOSPC: 'no space left on the device', EROFS: 'read-only file system', EMFILE: 'too many open files', ENFILE: 'too many open files', EIO: 'input/output error', ENAMETOOLONG: 'name too long', ENOTDIR: 'a file stands where a folder is needed', EISDIR: 'it is a folder' };
  if (!x || typeof x.code !== 'string' || !Object.hasOwn(words, x.code)) return undefined;
  return `${x.syscall ?? 'a file operation'}${x.path ? ` ${x.path}` : ''} failed: ${words[x.code]}. Fix the cause and run the command again.`;
}
