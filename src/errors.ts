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

/** The user pressed Ctrl-C or declined. Exit 130, nothing written. */
export class CancelledError extends CliError {
  constructor() {
    super('Cancelled; nothing was written.', EXIT.cancelled);
  }
}

/** A precondition is not met (dirty tree, missing git). Exit 1 with the fix. */
export class PreconditionError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.drift, hint);
  }
}

/** A bug in devops-init itself (for example a template that renders invalid YAML). */
export class InternalError extends CliError {
  constructor(message: string) {
    super(message, EXIT.internal, 'This is a bug in devops-init. Please report it with the command you ran and this message.');
  }
}
