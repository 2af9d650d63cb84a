/**
 * Templates whose every output line comes from the YAML emitter (src/render/yaml-emit.ts):
 * `{{toYaml expr}}` lines at column 0, `---` separators between `{{#each}}` items, and `#`
 * comment lines whose only interpolations are `{{json …}}` (a JSON string has no raw newline,
 * so the comment stays one line), and `{{comment …}}` lines (src/render/quote.ts: every line of
 * the text becomes a comment line). Their output is valid YAML by construction — the emitter's
 * round-trip tests (test/engine/yaml-emit.test.ts) prove it reads back as the data — so the
 * render engine need not parse it again, which is most of the render's cost on large
 * repositories (monitoring rules, tests and dashboards). Team overrides are always parsed.
 */
const LINE_RULES: RegExp[] = [
  /^\{\{toYaml [A-Za-z_.]+(?: compact=true)?\}\}$/,
  /^\{\{#each [A-Za-z_.]+\}\}$/,
  /^\{\{\/each\}\}$/,
  /^\{\{#unless @first\}\}$/,
  /^---$/,
  /^\{\{\/unless\}\}$/,
  /^#(?:[^{}]|\{\{json [A-Za-z_.]+\}\})*$/,
  /^\{\{comment [A-Za-z_.]+\}\}$/,
];

export function isSerializerOnly(source: string): boolean {
  const lines = source.replace(/\n$/, '').split('\n');
  if (!lines.some((l) => l.startsWith('{{toYaml '))) return false;
  return lines.every((line) => LINE_RULES.some((r) => r.test(line)));
}

/**
 * A serializer-only template rendered without the Handlebars runtime: on a large monorepo these
 * templates write most files (every Kubernetes object file, overlay kustomization, promtool
 * test), and the runtime's per-call machinery (helper wrappers, option objects, frames) cost
 * more than the YAML itself. `render` gives exactly what Handlebars gives for the grammar above
 * (standalone block lines removed, `{{#each}}` over an array, `@first`, strict-mode helpers), or
 * FALLBACK when the data leaves that subset (an object or function to iterate, a property
 * inherited rather than own, a lookup on nothing): the caller then renders through Handlebars,
 * which is the reference. test/engine/serializer-only.test.ts compares the two.
 */
export const FALLBACK: unique symbol = Symbol('fallback to Handlebars');

export interface SerializerHelpers {
  toYaml(value: unknown, compact: boolean): string;
  comment(value: unknown): string;
  json(value: unknown): string;
}

type Part = (ctx: unknown, first: boolean, out: string[]) => void;

class Fallback extends Error {}

/** A path as Handlebars looks it up for a helper's argument: own properties only (lookupProperty). */
function pathGetter(path: string): ((ctx: unknown) => unknown) | undefined {
  if (!/^(?:this|(?:this\.)?[A-Za-z_]+(?:\.[A-Za-z_]+)*)$/.test(path)) return undefined;
  const parts = path === 'this' ? [] : path.replace(/^this\./, '').split('.');
  if (parts.includes('this')) return undefined;
  return (ctx) => {
    let v = ctx;
    for (const p of parts) {
      if (v === null || v === undefined) throw new Fallback();
      const r = (v as Record<string, unknown>)[p];
      if (r !== null && r !== undefined && !Object.prototype.hasOwnProperty.call(v, p)) throw new Fallback();
      v = r;
    }
    return v;
  };
}

/**
 * Compile a serializer-only template's source to a direct renderer, or undefined when the
 * source is outside the grammar this understands (it is then always rendered by Handlebars).
 */
export function compileSerializerOnly(source: string, h: SerializerHelpers): ((data: unknown) => string | typeof FALLBACK) | undefined {
  if (!isSerializerOnly(source)) return undefined;
  const lines = source.split('\n');
  // The last element is what follows the last newline: '' when the source ends with one.
  const stack: { parts: Part[]; kind: 'root' | 'each' | 'unless' }[] = [{ parts: [], kind: 'root' }];
  const eachOpen: ((ctx: unknown) => unknown)[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const nl = i < lines.length - 1 ? '\n' : '';
    if (line === '' && nl === '') continue;
    const top = stack[stack.length - 1]!;
    let m: RegExpExecArray | null;
    if ((m = /^\{\{#each ([A-Za-z_.]+)\}\}$/.exec(line))) {
      const get = pathGetter(m[1]!);
      if (!get) return undefined;
      eachOpen.push(get);
      stack.push({ parts: [], kind: 'each' });
    } else if (line === '{{/each}}') {
      const body = stack.pop();
      const get = eachOpen.pop();
      if (!body || body.kind !== 'each' || !get) return undefined;
      const parts = body.parts;
      stack[stack.length - 1]!.parts.push((ctx, _first, out) => {
        const list = get(ctx);
        if (typeof list === 'function') throw new Fallback();
        if (!list || typeof list !== 'object') return;
        if (!Array.isArray(list)) throw new Fallback();
        for (let j = 0; j < list.length; j++) {
          if (!(j in list)) throw new Fallback();
          const item: unknown = list[j];
          for (const p of parts) p(item, j === 0, out);
        }
      });
    } else if (line === '{{#unless @first}}') {
      if (!stack.some((s) => s.kind === 'each')) return undefined;
      stack.push({ parts: [], kind: 'unless' });
    } else if (line === '{{/unless}}') {
      const body = stack.pop();
      if (!body || body.kind !== 'unless') return undefined;
      const parts = body.parts;
      stack[stack.length - 1]!.parts.push((ctx, first, out) => {
        if (!first) for (const p of parts) p(ctx, first, out);
      });
    } else if ((m = /^\{\{toYaml ([A-Za-z_.]+)( compact=true)?\}\}$/.exec(line))) {
      const get = pathGetter(m[1]!);
      if (!get) return undefined;
      const compact = m[2] !== undefined;
      top.parts.push((ctx, _first, out) => {
        out.push(h.toYaml(get(ctx), compact) + nl);
      });
    } else if ((m = /^\{\{comment ([A-Za-z_.]+)\}\}$/.exec(line))) {
      const get = pathGetter(m[1]!);
      if (!get) return undefined;
      top.parts.push((ctx, _first, out) => {
        out.push(h.comment(get(ctx)) + nl);
      });
    } else if (!line.includes('{{') && !line.includes('}}')) {
      const text = line + nl;
      top.parts.push((_ctx, _first, out) => {
        out.push(text);
      });
    } else if (line.startsWith('#')) {
      // Comment text with `{{json path}}` interpolations.
      const pieces: (string | ((ctx: unknown) => unknown))[] = [];
      let rest = line;
      while (rest.length > 0) {
        const at = rest.indexOf('{{');
        if (at < 0) {
          pieces.push(rest);
          break;
        }
        if (at > 0) pieces.push(rest.slice(0, at));
        const mm = /^\{\{json ([A-Za-z_.]+)\}\}/.exec(rest.slice(at));
        if (!mm) return undefined;
        const get = pathGetter(mm[1]!);
        if (!get) return undefined;
        pieces.push(get);
        rest = rest.slice(at + mm[0].length);
      }
      if (pieces.some((p) => typeof p === 'string' && (p.includes('{') || p.includes('}')))) return undefined;
      top.parts.push((ctx, _first, out) => {
        let s = '';
        for (const p of pieces) s += typeof p === 'string' ? p : h.json(p(ctx));
        out.push(s + nl);
      });
    } else {
      return undefined;
    }
  }
  if (stack.length !== 1) return undefined;
  const parts = stack[0]!.parts;
  return (data) => {
    const out: string[] = [];
    try {
      for (const p of parts) p(data, false, out);
    } catch (e) {
      if (e instanceof Fallback) return FALLBACK;
      throw e;
    }
    return out.join('');
  };
}
