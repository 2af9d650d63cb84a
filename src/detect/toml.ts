/**
 * A small, careful TOML reader for pyproject.toml — enough for [project], [tool.poetry.*],
 * [dependency-groups], [tool.uv], [tool.pytest.ini_options] and [tool.ruff]. No dependency.
 * Values: strings (basic, literal, multi-line), booleans, arrays (may span lines, may hold
 * comments and trailing commas), inline tables; numbers and dates are kept as their text.
 * Anything it does not understand throws TomlError with a line number, so callers can turn a
 * malformed file into a note instead of a crash.
 */

export type TomlValue = string | boolean | TomlValue[] | { [key: string]: TomlValue };
export type TomlTables = Map<string, Record<string, TomlValue>>;

export class TomlError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseToml(text: string): TomlTables {
  return new Reader(text).document();
}

/** Lowercase names of every array item / table key found in the given places. */
export function tomlStrings(v: TomlValue | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap((x) => (typeof x === 'string' ? [x] : []));
  return [];
}

class Reader {
  private pos = 0;
  private readonly tables: TomlTables = new Map([['', {}]]);

  constructor(private readonly src: string) {}

  private get line(): number {
    let n = 1;
    for (let i = 0; i < this.pos && i < this.src.length; i++) if (this.src[i] === '\n') n++;
    return n;
  }

  private fail(message: string): never {
    throw new TomlError(this.line, message);
  }

  private table(name: string): Record<string, TomlValue> {
    let t = this.tables.get(name);
    if (!t) {
      t = {};
      this.tables.set(name, t);
    }
    return t;
  }

  document(): TomlTables {
    let current = '';
    while (this.pos < this.src.length) {
      this.skipSpaces();
      const c = this.src[this.pos];
      if (c === undefined) break;
      if (c === '\n' || c === '\r') {
        this.pos++;
        continue;
      }
      if (c === '#') {
        this.skipComment();
        continue;
      }
      if (c === '[') {
        const aot = this.src.startsWith('[[', this.pos);
        this.pos += aot ? 2 : 1;
        current = this.keyPath().join('.');
        this.skipSpaces();
        if (!this.src.startsWith(aot ? ']]' : ']', this.pos)) this.fail('unterminated table header');
        this.pos += aot ? 2 : 1;
        this.table(current);
        this.endOfLine();
        continue;
      }
      const path = this.keyPath();
      this.skipSpaces();
      if (this.src[this.pos] !== '=') this.fail(`expected '=' after key "${path.join('.')}"`);
      this.pos++;
      this.skipSpaces();
      const value = this.value();
      const key = path.pop()!;
      this.table([current, ...path].filter(Boolean).join('.'))[key] = value;
      this.endOfLine();
    }
    return this.tables;
  }

  private skipSpaces(): void {
    while (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') this.pos++;
  }

  private skipComment(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
  }

  /** Spaces, newlines and comments, as allowed between array items. */
  private skipBlank(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#') this.skipComment();
      else return;
    }
  }

  private endOfLine(): void {
    this.skipSpaces();
    if (this.src[this.pos] === '#') this.skipComment();
    const c = this.src[this.pos];
    if (c !== undefined && c !== '\n' && c !== '\r') this.fail(`unexpected "${c}" after value`);
  }

  private keyPath(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.src[this.pos];
      if (c === '"' || c === "'") parts.push(this.string());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.src.slice(this.pos, this.pos + 256));
        if (!m) this.fail('expected a key');
        parts.push(m[0]);
        this.pos += m[0].length;
      }
      this.skipSpaces();
      if (this.src[this.pos] !== '.') return parts;
      this.pos++;
    }
  }

  private value(): TomlValue {
    const c = this.src[this.pos];
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    const m = /^[^\s,\]}#]+/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!m) this.fail('expected a value');
    this.pos += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (!/^[0-9+\-.:_TZa-fA-Fxob]+$|^[+-]?(inf|nan)$/.test(m[0])) this.fail(`invalid value "${m[0]}"`);
    return m[0];
  }

  private array(): TomlValue[] {
    this.pos++; // [
    const out: TomlValue[] = [];
    for (;;) {
      this.skipBlank();
      if (this.pos >= this.src.length) this.fail('unterminated array');
      if (this.src[this.pos] === ']') {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.skipBlank();
      if (this.src[this.pos] === ',') this.pos++;
      else if (this.src[this.pos] !== ']') this.fail('expected "," or "]" in array');
    }
  }

  private inlineTable(): { [key: string]: TomlValue } {
    this.pos++; // {
    const out: { [key: string]: TomlValue } = {};
    this.skipSpaces();
    if (this.src[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      const path = this.keyPath();
      this.skipSpaces();
      if (this.src[this.pos] !== '=') this.fail('expected "=" in inline table');
      this.pos++;
      this.skipSpaces();
      out[path.join('.')] = this.value();
      this.skipSpaces();
      const c = this.src[this.pos];
      this.pos++;
      if (c === '}') return out;
      if (c !== ',') this.fail('expected "," or "}" in inline table');
    }
  }

  private string(): string {
    const q = this.src[this.pos]!;
    const triple = this.src.startsWith(q.repeat(3), this.pos);
    const close = triple ? q.repeat(3) : q;
    this.pos += close.length;
    if (triple && this.src[this.pos] === '\n') this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) this.fail('unterminated string');
      if (this.src.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      const c = this.src[this.pos]!;
      if (c === '\n' && !triple) this.fail('unterminated string');
      if (c === '\\' && q === '"') {
        const e = this.src[this.pos + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.pos += 2;
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = this.src.slice(this.pos + 2, this.pos + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail('bad unicode escape');
          out += String.fromCodePoint(parseInt(hex, 16));
          this.pos += 2 + len;
        } else if (triple && (e === '\n' || e === ' ' || e === '\r')) {
          // line-ending backslash: trim the newline and following whitespace
          this.pos++;
          while (/\s/.test(this.src[this.pos] ?? '')) this.pos++;
        } else {
          this.fail('bad escape in string');
        }
        continue;
      }
      out += c;
      this.pos++;
    }
  }
}
