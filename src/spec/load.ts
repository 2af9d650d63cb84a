import { Document, isMap, isScalar, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { SpecError, UsageError, type SpecProblem } from '../errors.js';
import { fastParseYaml, UNSUPPORTED } from './fast-yaml.js';
import { normalizeSpec } from './normalize.js';
import { loadSchema } from './schema.js';
import { semanticIssues } from './semantic.js';
import type { Spec } from './types.js';
import { validateSchema, type SchemaIssue } from './validate-schema.js';

import { readSpecText, SPEC_FILE } from './read.js';

export { readSpecText, SPEC_FILE };

/** A parsed devops.yaml: the document (for comment-preserving saves) and the normalized spec. */
export interface LoadedSpec {
  file: string;
  text: string;
  /**
   * The yaml Document, built on first use (the same one afterwards): only add and remove
   * need it, and most files are read by the fast reader (fast-yaml.ts) without one.
   */
  readonly doc: Document;
  /** The file as plain data (what the lock snapshots). */
  raw: Record<string, unknown>;
  spec: Spec;
  /** Line and column of a key path, for errors found after parsing (e.g. two files on one path). */
  locate(path: (string | number)[]): { line: number; col: number };
}

/** Line and column (1-based) of a key path in the document; falls back to the nearest parent. */
export function positionOf(doc: Document, lc: LineCounter, path: (string | number)[], atKey = false): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    let offset: number | undefined;
    if (atKey && n === path.length && n > 0) {
      const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = (parent.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === sub[sub.length - 1]);
        offset = (pair?.key as Node | undefined)?.range?.[0];
      }
    } else {
      const node = (sub.length ? doc.getIn(sub, true) : doc.contents) as Node | undefined;
      offset = node?.range?.[0];
    }
    if (offset !== undefined) {
      const p = lc.linePos(offset);
      return { line: p.line, col: p.col };
    }
  }
  return { line: 1, col: 1 };
}

/**
 * Parse and validate devops.yaml text. Throws SpecError listing every problem with
 * file:line:col, what is wrong and how to fix it.
 */
export function parseSpec(text: string, file = SPEC_FILE): LoadedSpec {
  // The fast reader gives the same data as the yaml path below, or declines. Errors always
  // come from the yaml path, which knows their positions: on any issue, parse again there.
  const fast = fastParseYaml(text);
  if (fast !== UNSUPPORTED && typeof fast === 'object' && fast !== null && !Array.isArray(fast)) {
    const checked = validateRaw(fast);
    if ('spec' in checked) return loaded(file, text, fast as Record<string, unknown>, checked.spec);
  }
  return parseWithYaml(text, file);
}

/** A LoadedSpec whose yaml Document (and with it `locate`) is parsed only when first asked for. */
function loaded(file: string, text: string, raw: Record<string, unknown>, spec: Spec, parsed?: { doc: Document; lc: LineCounter }): LoadedSpec {
  let yaml = parsed;
  const get = (): { doc: Document; lc: LineCounter } => {
    if (!yaml) {
      const lc = new LineCounter();
      yaml = { doc: parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true }), lc };
    }
    return yaml;
  };
  return {
    file,
    text,
    get doc() {
      return get().doc;
    },
    raw,
    spec,
    locate: (path) => positionOf(get().doc, get().lc, path),
  };
}

function parseWithYaml(text: string, file: string): LoadedSpec {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const problems: SpecProblem[] = [];
  for (const err of doc.errors) {
    const p = lc.linePos(err.pos[0]);
    problems.push({ file, line: p.line, col: p.col, message: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), fix: yamlFix(err.code) });
  }
  if (problems.length) throw new SpecError(problems);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    // Alias bombs (too many aliases, a billion laughs) and aliases to undefined anchors.
    const offset = firstAlias(doc);
    const p = offset === undefined ? { line: 1, col: 1 } : lc.linePos(offset);
    const msg = (e as Error).message.split('\n')[0]!;
    throw new SpecError([{ file, line: p.line, col: p.col, message: /alias count/i.test(msg) ? 'too many YAML aliases (over 100): the file expands to more data than a spec can hold' : `YAML alias problem: ${msg}`, fix: 'write the values out instead of using anchors and aliases (*name)' }]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SpecError([{ file, line: 1, col: 1, message: 'devops.yaml must be a mapping of keys to values', fix: 'start from `devops-init init --dry-run` output or the README spec reference' }]);
  }
  const toProblem = (i: SchemaIssue): SpecProblem => ({ file, ...positionOf(doc, lc, i.path, i.atKey), message: i.message, fix: i.fix });
  const checked = validateRaw(raw);
  if ('issues' in checked) throw new SpecError(checked.issues.map(toProblem));
  return loaded(file, text, raw as Record<string, unknown>, checked.spec, { doc, lc });
}

/**
 * Validate devops.yaml as data (schema, then the rules a schema cannot say) and normalise it.
 * Also used on the lock's snapshot of devops.yaml, which is untrusted input.
 */
export function validateRaw(raw: unknown): { spec: Spec } | { issues: SchemaIssue[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { issues: [{ path: [], message: 'devops.yaml must be a mapping of keys to values', fix: 'start from `devops-init init --dry-run` output' }] };
  const issues = validateSchema(loadSchema(), raw);
  if (issues.length) return { issues };
  const spec = normalizeSpec(raw as Record<string, unknown>);
  const semantic = semanticIssues(spec, raw as Record<string, unknown>);
  if (semantic.length) return { issues: semantic };
  return { spec };
}

/** Offset of the first alias node, where alias errors are reported. */
function firstAlias(doc: Document): number | undefined {
  let found: number | undefined;
  const visit = (n: unknown): void => {
    if (found !== undefined || n === null || typeof n !== 'object') return;
    const node = n as { type?: string; range?: [number, number]; items?: unknown[]; key?: unknown; value?: unknown; source?: string };
    if ('source' in node && typeof node.source === 'string' && node.range) {
      found = node.range[0];
      return;
    }
    if (Array.isArray(node.items)) for (const i of node.items) visit(i);
    if ('key' in node) visit(node.key);
    if ('value' in node) visit(node.value);
  };
  visit(doc.contents);
  return found;
}

function yamlFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY': return 'remove or rename one of the two keys';
    case 'BAD_INDENT':
    case 'MISSING_CHAR': return 'check the indentation: nested keys need two more spaces than their parent';
    case 'TAB_AS_INDENT': return 'indent with spaces, not tabs';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': return 'a key is missing its colon, or a value spans lines without quotes';
    default: return 'fix the YAML syntax at this position';
  }
}

/** Read and validate `<root>/devops.yaml`. */
export function loadSpec(root: string): LoadedSpec {
  const text = readSpecText(root);
  if (text === undefined) {
    throw new UsageError(`No ${SPEC_FILE} in ${root}.`, 'Run `devops-init init` first (or pass -C <dir> to point at the repository).');
  }
  return parseSpec(text);
}
