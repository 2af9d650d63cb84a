/**
 * A fast reader for the plain block YAML that devops-init writes (src/render/yaml-emit.ts,
 * via src/spec/write.ts) and the hand edits a team makes in that style. On a 300-service
 * devops.yaml the yaml library's parseDocument (CST, composer, nodes) costs a few hundred
 * milliseconds of CPU per command; this line reader takes a small fraction of that.
 *
 * Contract: for any text it returns UNSUPPORTED or exactly what
 * `parseDocument(text, { uniqueKeys: true }).toJS()` returns (YAML 1.2 core schema). Anything
 * it is not certain about, and anything yaml would report an error or warning for, returns
 * UNSUPPORTED, and the caller falls back to the yaml library (which also positions errors).
 * test/spec/fast-yaml.test.ts checks the contract against the library, differentially.
 */

/** fastParseYaml's answer for text outside the subset it reads exactly. */
export const UNSUPPORTED: unique symbol = Symbol('fast-yaml: unsupported');

/** Thrown internally to abandon the fast read; never escapes fastParseYaml. */
const BAIL = { bail: true };

// Characters the yaml library reads as themselves everywhere in our subset. Excluded: tabs,
// CR (line-break handling), C0/C1 controls and DEL (errors or line breaks such as NEL), and
// U+FEFF (a byte-order mark). Surrogates are checked for pairing separately.
const OUTSIDE_SUBSET = /[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// A plain key the core schema can only read as a string once null/bool/number forms are ruled out.
const PLAIN_KEY = /[A-Za-z0-9_][A-Za-z0-9_./-]*/y;
// Over 1024 characters an implicit key is an error; stay well clear.
const MAX_KEY = 1000;

// The YAML 1.2 core schema's tests, as in yaml/dist/schema/core (the order yaml tries them).
const CORE_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const CORE_TRUE = /^(?:[Tt]rue|TRUE)$/;
const CORE_FALSE = /^(?:[Ff]alse|FALSE)$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
// Octal, hexadecimal, .inf/.nan and exponent forms: readable, but not worth being exact about.
const CORE_OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+)$/;

/** Read `text` as YAML, or UNSUPPORTED when it is outside the subset read exactly. */
export function fastParseYaml(text: string): unknown {
  if (OUTSIDE_SUBSET.test(text)) return UNSUPPORTED;
  if (/[\ud800-\udfff]/.test(text) && LONE_SURROGATE.test(text)) return UNSUPPORTED;
  try {
    return new Reader(text.split('\n')).document();
  } catch (e) {
    if (e === BAIL) return UNSUPPORTED;
    throw e;
  }
}

function bail(): never {
  throw BAIL;
}

/** Number of leading spaces. */
function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/** A dash that starts a block sequence entry at `col` (`- x` or a lone `-`). */
function isDash(line: string, col: number): boolean {
  return line.charCodeAt(col) === 45 && (col + 1 === line.length || line.charCodeAt(col + 1) === 32);
}

/** A plain scalar's value under the core schema; bails on number forms not handled here. */
function resolvePlain(s: string): unknown {
  if (s === '') bail();
  const c = s.charCodeAt(0);
  // Only digits, signs and '.' start numbers; only ~, n, N, t, T, f and F start null or a boolean.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (CORE_INT.test(s)) return parseInt(s, 10);
    if (CORE_FLOAT.test(s)) return parseFloat(s);
    if (CORE_OTHER_NUMBER.test(s)) bail();
    return s;
  }
  if (c === 126 || c === 110 || c === 78) return CORE_NULL.test(s) ? null : s;
  if (c === 116 || c === 84) return CORE_TRUE.test(s) ? true : s;
  if (c === 102 || c === 70) return CORE_FALSE.test(s) ? false : s;
  return s;
}

/** A first character that starts a plain scalar (not an indicator such as `-`, `[`, `&`, `!`, `@`). */
function plainStart(s: string): boolean {
  const c = s.charCodeAt(0);
  // `$` too: GitHub expressions (`${{ github.ref }}`) are plain scalars in the workflows.
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 47 || c === 126 || c === 43 || c === 36 || c >= 0xa0) return true;
  // `.`, `./x`, `.hidden-job`; `...` would end the document at column 0.
  if (c === 46) return !s.startsWith('...');
  // `-x`, `-1`: a dash before a space starts a sequence, `---` a document.
  if (c === 45) return /^-[A-Za-z0-9_.]/.test(s) && !s.startsWith('---');
  return false;
}

/**
 * A plain scalar that fills the rest of its line, or is followed by a comment (` # …`, as the
 * workflows write `uses: owner/action@<sha> # v4.2.2`): the value is what comes before the
 * spaces and `#`. Refused besides indicator starts: any other `#` (`a#b` is one scalar in
 * YAML, but not worth being exact about), `: ` (a nested mapping, an error) and a final `:` (a key).
 */
function plainScalar(s: string): unknown {
  const hash = s.indexOf('#');
  if (hash !== -1) {
    if (s.charCodeAt(hash - 1) !== 32) bail();
    let end = hash - 1;
    while (s.charCodeAt(end - 1) === 32) end--;
    s = s.slice(0, end);
    if (s.includes('#')) bail();
  }
  if (!plainStart(s) || s.includes(': ') || s.endsWith(':')) bail();
  return resolvePlain(s);
}

/**
 * A double-quoted scalar written as a JSON string: the same value in YAML (JSON's escapes are a
 * subset of YAML's). JSON.parse refuses anything else, including text after the closing quote.
 */
function jsonString(s: string): string {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    bail();
  }
  if (typeof v !== 'string') bail();
  return v;
}

/** A scalar or empty collection that fills the rest of a line (not a block scalar). */
function inlineScalar(s: string): unknown {
  switch (s.charCodeAt(0)) {
    case 34:
      return jsonString(s);
    case 39:
      if (s.length < 2 || !s.endsWith("'") || !/^(?:[^']|'')*$/.test(s.slice(1, -1))) bail();
      return s.slice(1, -1).replace(/''/g, "'");
    case 91:
      return s === '[]' ? [] : flowSequence(s);
    case 123:
      if (s !== '{}') bail();
      return {};
    default:
      return plainScalar(s);
  }
}

// One item of a one-line flow sequence: a JSON string, or a word of safe characters.
const FLOW_ITEM = /"(?:[^"\\]|\\.)*"|[A-Za-z0-9_][A-Za-z0-9_./-]*/y;

/**
 * `[a, "b"]` on one line, as the workflows write `branches: ["main"]` and `needs: [a, b]`:
 * items separated by `, ` exactly, each a JSON string or a plain word (resolved as in block
 * context: the core schema reads flow and block plain scalars alike). Anything else bails.
 */
function flowSequence(s: string): unknown[] {
  const out: unknown[] = [];
  let at = 1;
  for (;;) {
    FLOW_ITEM.lastIndex = at;
    const m = FLOW_ITEM.exec(s);
    if (!m) bail();
    const item = m[0];
    out.push(item.charCodeAt(0) === 34 ? jsonString(item) : resolvePlain(item));
    at = FLOW_ITEM.lastIndex;
    if (s.startsWith(', ', at)) at += 2;
    else if (at === s.length - 1 && s.charCodeAt(at) === 93) return out;
    else bail();
  }
}

class Reader {
  private i = 0;
  private readonly scalars = new Map<string, unknown>();

  constructor(private readonly lines: string[]) {}

  document(): unknown {
    let n = this.next();
    if (n === 0 && this.lines[this.i] === '---') {
      this.i++;
      n = this.next();
    }
    // Empty documents and top-level scalars are not specs: the yaml path handles them.
    if (n !== 0) bail();
    const line = this.lines[this.i]!;
    const value = isDash(line, 0) ? this.sequence(0) : this.mapping(0);
    if (this.next() !== -1) bail();
    return value;
  }

  /**
   * Move to the next line with content (skipping blank, space-only and comment lines) and
   * return its indentation, or -1 at the end.
   */
  private next(): number {
    const { lines } = this;
    for (; this.i < lines.length; this.i++) {
      const line = lines[this.i]!;
      const n = indentOf(line);
      if (n === line.length || line.charCodeAt(n) === 35) continue;
      // Trailing spaces are trimmed from plain scalars but kept elsewhere: not worth it.
      if (line.charCodeAt(line.length - 1) === 32) bail();
      return n;
    }
    return -1;
  }

  /** A block mapping whose keys sit at column `indent`; the current line holds the first key. */
  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const line = this.lines[this.i]!;
      const [key, after] = this.key(line, indent) ?? bail();
      // uniqueKeys makes a duplicate an error; `__proto__` is stored specially by toJS.
      if (Object.hasOwn(out, key) || key === '__proto__') bail();
      if (after === line.length) {
        this.i++;
        out[key] = this.below(indent, true);
      } else {
        out[key] = this.inline(line, after, indent);
      }
      const n = this.next();
      if (n < indent) return out;
      if (n > indent) bail();
    }
  }

  /** A block sequence whose dashes sit at column `indent`; the current line holds the first. */
  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const line = this.lines[this.i]!;
      if (!isDash(line, indent)) return out;
      if (indent + 1 === line.length) {
        this.i++;
        out.push(this.below(indent, false));
      } else {
        let c = indent + 2;
        while (line.charCodeAt(c) === 32) c++;
        out.push(this.entry(line, c, indent));
      }
      const n = this.next();
      if (n < indent) return out;
      if (n > indent) bail();
    }
  }

  /** What follows `- ` on a line: a nested sequence, a mapping's first key, or a scalar. */
  private entry(line: string, col: number, dashCol: number): unknown {
    if (isDash(line, col)) return this.sequence(col);
    if (this.key(line, col)) return this.mapping(col);
    return this.inline(line, col, dashCol);
  }

  /**
   * The value of `key:` or `-` with nothing after it on the line: a block on the following
   * lines, more indented than `parent` (or, under a mapping key, a sequence at the key's own
   * column), else null.
   */
  private below(parent: number, underKey: boolean): unknown {
    const n = this.next();
    if (n === -1) return null;
    const line = this.lines[this.i]!;
    if (n === parent && underKey && isDash(line, n)) return this.sequence(n);
    if (n <= parent) return null;
    if (isDash(line, n)) return this.sequence(n);
    if (this.key(line, n)) return this.mapping(n);
    return bail();
  }

  /** A value that starts on the current line at `col`; moves past the lines it uses. */
  private inline(line: string, col: number, parent: number): unknown {
    while (line.charCodeAt(col) === 32) col++;
    const s = line.slice(col);
    if (s === '|' || s === '|-') return this.literal(parent, s === '|-', false);
    if (s === '>' || s === '>-') return this.literal(parent, s === '>-', true);
    this.i++;
    // Values repeat across services (`language: go`, `go mod download`): read each once.
    let v = this.scalars.get(s);
    if (v === undefined) {
      v = inlineScalar(s);
      if (typeof v === 'object' && v !== null) return v;
      this.scalars.set(s, v);
    }
    return v;
  }

  /**
   * A literal (`|`, `|-`) or folded (`>`, `>-`) block scalar whose header is on the current
   * line, with its indentation taken from the first line. Refused: an empty body, leading
   * blank lines, space-only lines, and a body that ends the file without a line break. A
   * folded body is read only in its simplest form, lines at one indentation joined by single
   * spaces: blank lines inside it, more-indented lines and trailing spaces are refused.
   */
  private literal(parent: number, strip: boolean, folded: boolean): string {
    const { lines } = this;
    let i = this.i + 1;
    const first = lines[i];
    if (first === undefined) bail();
    const m = indentOf(first);
    if (m === first.length || m <= parent) bail();
    const body: string[] = [];
    let blanks = 0;
    let last = i;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') {
        blanks++;
        continue;
      }
      const n = indentOf(line);
      if (n === line.length) bail();
      if (n < m) break;
      if (folded && (blanks > 0 || n > m || line.charCodeAt(line.length - 1) === 32)) bail();
      for (; blanks > 0; blanks--) body.push('');
      body.push(line.slice(m));
      last = i;
    }
    if (last === lines.length - 1) bail();
    this.i = last + 1;
    return body.join(folded ? ' ' : '\n') + (strip ? '' : '\n');
  }

  /** `key:` at `col` (plain or JSON-quoted): the key and the column after the colon, or undefined. */
  private key(line: string, col: number): [string, number] | undefined {
    let key: string;
    let end: number;
    if (line.charCodeAt(col) === 34) {
      end = col + 1;
      for (; end < line.length; end++) {
        const c = line.charCodeAt(end);
        if (c === 92) end++;
        else if (c === 34) break;
      }
      if (end >= line.length) return undefined;
      end++;
      if (line.charCodeAt(end) !== 58) return undefined;
      try {
        key = JSON.parse(line.slice(col, end)) as string;
      } catch {
        return bail();
      }
    } else {
      PLAIN_KEY.lastIndex = col;
      if (!PLAIN_KEY.test(line)) return undefined;
      end = PLAIN_KEY.lastIndex;
      if (line.charCodeAt(end) !== 58) return undefined;
      key = line.slice(col, end);
      // `true:`, `1:`, `null:`… are not string keys; let yaml decide what they become.
      if (typeof resolvePlain(key) !== 'string') bail();
    }
    if (end - col > MAX_KEY) bail();
    // `key:value` is one plain scalar, not a key.
    if (end + 1 !== line.length && line.charCodeAt(end + 1) !== 32) return undefined;
    return [key, end + 1];
  }
}
