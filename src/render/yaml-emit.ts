import { isScalar } from 'yaml';
import { yamlComment } from './quote.js';

/**
 * A small block-style YAML emitter for plain data (what practices build: objects, arrays,
 * strings, numbers, booleans, null). It replaces the yaml library's `stringify` for
 * `{{toYaml}}`, which dominated render time on large repositories (a 50-service monorepo
 * renders ~5 MB). It is deliberately conservative: a string is written plain only when it
 * cannot be read back as anything else under YAML 1.1 or 1.2; otherwise it is a JSON
 * string, which is a valid YAML double-quoted scalar. test/engine/yaml-emit.test.ts proves
 * that parsing the output gives the input back.
 */

const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|=|<<)$/i;
// Anything that starts like a number, date or special float in YAML 1.1 or 1.2.
const NUMBERISH = /^[-+.]?(?:\d|\.(?:inf|nan))/i;
const PLAIN_START = /^[A-Za-z_/]/;
const PLAIN_CHARS = /^[A-Za-z0-9_./@+=,;()%$^-]+(?:[ :][A-Za-z0-9_./@+=,;()%$^-]+)*$/;

/** A GitLab hidden job's name (`.image-build`, `.api:on-change`): plain, as GitLab's docs write them. */
const HIDDEN_JOB = /^\.[a-z][a-z0-9-]*(?::[a-z0-9-]+)?$/;

function plainSafe(s: string): boolean {
  if (HIDDEN_JOB.test(s) && !NUMBERISH.test(s)) return true;
  return (
    s.length > 0 &&
    PLAIN_START.test(s) &&
    PLAIN_CHARS.test(s) &&
    !RESERVED.test(s) &&
    !NUMBERISH.test(s) &&
    !s.includes(': ') &&
    !s.endsWith(':')
  );
}

/**
 * A plain scalar in block context (all this emitter writes): printable ASCII tokens separated
 * by single spaces, starting with a letter, `_`, `/` or `.` (never an indicator, never a
 * document marker `---`/`...`), no `: `, no `#`, not ending with `:`, and not a word or number
 * another type would claim. Flow indicators (`[]{},`) are plain text inside a block scalar.
 */
function blockPlainSafe(s: string): boolean {
  // A digit first is fine when a letter follows that no number, timestamp or boolean form of
  // YAML 1.1 or 1.2 contains (not a-f, o, t, x, z): `123456789012.dkr.ecr…` (an ECR registry).
  const start = /^[A-Za-z_/.]/.test(s) || (/^\d/.test(s) && /[g-nG-Np-sP-Su-wU-WyY]/.test(s));
  if (plainSafe(s)) return true;
  const tokens = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/.test(s) && !s.includes('#') && !s.includes(': ') && !s.endsWith(':');
  return start && tokens && !/^(?:---|\.\.\.)/.test(s) && !RESERVED.test(s) && (!NUMBERISH.test(s) || /^\d/.test(s));
}

function scalar(v: unknown): string {
  // A yaml Scalar node in the data asks for a quoting style (e.g. a date-like string that some
  // readers would turn into a timestamp): honour quoted styles, else emit its value. Single
  // quotes (printable ASCII only) keep shell lines full of double quotes readable.
  if (isScalar(v)) {
    if (v.type === 'QUOTE_SINGLE' && /^[\x20-\x7e]*$/.test(String(v.value))) return `'${String(v.value).replace(/'/g, "''")}'`;
    // PLAIN asks for a plain scalar where the conservative rule would quote (kustomize field
    // paths such as `spec.containers.[name=api].image`): granted only when it is safe.
    if (v.type === 'PLAIN' && typeof v.value === 'string' && blockPlainSafe(v.value)) return v.value;
    return v.type === 'QUOTE_DOUBLE' || v.type === 'QUOTE_SINGLE' ? JSON.stringify(String(v.value)) : scalar(v.value);
  }
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
    return String(v);
  }
  const s = String(v);
  let out = scalarCache.get(s);
  if (out === undefined) {
    out = plainSafe(s) ? s : JSON.stringify(s);
    if (scalarCache.size < 100_000) scalarCache.set(s, out);
  }
  return out;
}

/** Keys and values repeat across thousands of objects (name, labels, http…): decide each once. */
const scalarCache = new Map<string, string>();

/** A multi-line string as a literal block, when that reads back exactly. */
function blockLiteral(s: string, indent: string): string | undefined {
  if (!s.includes('\n') || /[\r\t]/.test(s) || /^[ \n]/.test(s) || /[^\x20-\x7e\n\u00a0-\ud7ff\ue000-\ufffd]/.test(s)) return undefined;
  const body = s.replace(/\n+$/, '');
  const trailing = s.length - body.length;
  if (trailing > 1) return undefined;
  const chomp = trailing === 0 ? '-' : '';
  // Lines that are only spaces would change meaning under indentation rules: refuse.
  if (body.split('\n').some((l) => l.length > 0 && l.trim() === '')) return undefined;
  const lines = body.split('\n');
  return `|${chomp}\n` + lines.map((l) => (l === '' ? '' : indent + l)).join('\n');
}

/**
 * A sequence item with comment lines above it, at its dash's column (`# why` then `- item`):
 * what a reviewer reads next to the entry it explains. Only sequence items take comments
 * (elsewhere the emitter refuses one), and only items that start their own line.
 */
export class Commented {
  constructor(
    readonly comments: readonly string[],
    readonly value: unknown,
  ) {}
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isScalar(v) && !(v instanceof Commented);

function hasEntries(o: Record<string, unknown>): boolean {
  for (const k in o) if (o[k] !== undefined) return true;
  return false;
}

const nonEmpty = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : isObj(v) && hasEntries(v));

/**
 * Append `v` after `head` ("key:" or "-" at its indentation). `child` is the indentation of
 * nested content. Written to avoid intermediate arrays: output is one list of lines.
 */
function emitValue(v: unknown, child: string, out: string[], head: string): void {
  if (v instanceof Commented) throw new Error(`a comment can only stand above a sequence item (at ${JSON.stringify(head.trim())})`);
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(head + ' []');
    else {
      out.push(head);
      // Compact: the dashes at the key's own column, as kubectl and `kustomize edit` write.
      const at = compact ? child.slice(2) : child;
      emitSeq(v, at, out, at);
    }
  } else if (isObj(v)) {
    if (!hasEntries(v)) out.push(head + ' {}');
    else {
      out.push(head);
      emitMap(v, child, out, child);
    }
  } else if (typeof v === 'string' && v.includes('\n')) {
    out.push(head + ' ' + (blockLiteral(v, child) ?? JSON.stringify(v)));
  } else {
    out.push(head + ' ' + scalar(v));
  }
}

/** Keys at `indent`; the first key's line starts with `first` instead (used after "- "). */
function emitMap(o: Record<string, unknown>, indent: string, out: string[], first: string): void {
  let lead = first;
  const child = indent + '  ';
  for (const k in o) {
    const v = o[k];
    if (v === undefined) continue;
    emitValue(v, child, out, lead + scalar(k) + ':');
    lead = indent;
  }
}

/** Dashes at `indent`; the first dash's line starts with `first`. Items' content is two columns in. */
function emitSeq(a: unknown[], indent: string, out: string[], first: string): void {
  const inner = indent + '  ';
  let lead = first;
  for (let item of a) {
    if (item instanceof Commented) {
      if (lead.trim() !== '') throw new Error('a commented sequence item must start its own line (not nested in another item)');
      // The first line may be the template's to indent (emitYaml's pad): the item's own line is not.
      for (const line of item.comments.flatMap((c) => yamlComment(c).split('\n'))) {
        out.push(lead + line);
        lead = indent;
      }
      item = item.value;
    }
    if (nonEmpty(item)) {
      if (Array.isArray(item)) emitSeq(item, inner, out, lead + '- ');
      else emitMap(item as Record<string, unknown>, inner, out, lead + '- ');
    } else {
      emitValue(item, inner, out, lead + '-');
    }
    lead = indent;
  }
}

/**
 * YAML text for `value` (no trailing newline), in the yaml library's default block layout.
 * Every line after the first is indented by `pad` spaces, so the block can follow a key
 * in a template. `compactSeqs`: a sequence under a key starts at the key's column
 * (`key:\n- item`), the layout `kustomize edit` and kubectl write.
 */
export function emitYaml(value: unknown, pad = 0, compactSeqs = false): string {
  if (!nonEmpty(value)) return Array.isArray(value) ? '[]' : isObj(value) ? '{}' : scalar(value);
  const base = ' '.repeat(pad);
  const out: string[] = [];
  compact = compactSeqs;
  try {
    if (Array.isArray(value)) emitSeq(value, base, out, '');
    else emitMap(value as Record<string, unknown>, base, out, '');
  } finally {
    compact = false;
  }
  return out.join('\n');
}

/** For the emitYaml call running now: sequences under a key are not indented (see emitYaml). */
let compact = false;
