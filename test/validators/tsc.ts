import ts from 'typescript';

/**
 * TypeScript's compiler in this process, for the type checks the validators run on generated
 * files (kube-models.ts: unknown fields in Kubernetes objects; grafana.ts: dashboards against
 * @grafana/schema). Each check is its own program over its own root files, with the options the
 * caller gives, as `tsc --noEmit -p` would run it; what is shared is the parsing of the files
 * that never change during a test run: TypeScript's lib files and the packages' declaration
 * files under node_modules. Parsed once per worker, they are reused by every later program (as
 * the language service does; a parsed file is immutable and binds once), so a check costs the
 * type-check of its own files, not a second or two of re-reading kubernetes-models.
 */

const parsed = new Map<string, ts.SourceFile>();

/** Files read once per test run: TypeScript's own libs and installed packages. */
const isStable = (fileName: string): boolean => fileName.includes('/node_modules/');

/** The diagnostics `tsc --noEmit` reports for `rootNames` under `options` (empty = clean). */
export function typecheckFiles(rootNames: string[], options: ts.CompilerOptions): readonly ts.Diagnostic[] {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (!isStable(fileName)) return read(fileName, languageVersionOrOptions, onError, shouldCreate);
    const key = `${JSON.stringify(languageVersionOrOptions)}\0${fileName}`;
    let file = parsed.get(key);
    if (!file) {
      file = read(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (file) parsed.set(key, file);
    }
    return file;
  };
  return ts.getPreEmitDiagnostics(ts.createProgram({ rootNames, options, host }));
}

/** One diagnostic as tsc's `--pretty false` first line says it after the position: `error TS2353: …`. */
export function diagnosticHead(d: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0];
  return `${ts.DiagnosticCategory[d.category].toLowerCase()} TS${d.code}: ${message}`;
}
