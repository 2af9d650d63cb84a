/**
 * A small validator for the JSON Schema subset devops.schema.json uses (type, enum,
 * const, pattern, required, properties, additionalProperties (false or a schema),
 * propertyNames, items, minItems, uniqueItems, minimum/maximum, exclusive bounds).
 * Keys are looked up as own properties only: a key named `__proto__`, `constructor` or
 * `toString` is a key like any other (unknown, unless the schema names it). Written here rather than pulling in a
 * schema library at run time: `check` loads it on every pull request, and we want
 * messages that name the fix ("unknown key 'prot' — did you mean 'port'?").
 * test/spec/schema.test.ts cross-checks it against Ajv on valid and invalid specs.
 */

export interface SchemaNode {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  properties?: Record<string, SchemaNode>;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
}

export interface SchemaIssue {
  /** Key path to the offending value (or to the object missing a key). */
  path: (string | number)[];
  /** True when the issue is about a key itself (unknown key): point at the key, not the value. */
  atKey?: boolean;
  message: string;
  fix: string;
}

const patternCache = new Map<string, RegExp>();
function re(p: string): RegExp {
  let r = patternCache.get(p);
  if (!r) patternCache.set(p, (r = new RegExp(p, 'u')));
  return r;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(want: string, v: unknown): boolean {
  const t = typeOf(v);
  return want === t || (want === 'number' && t === 'integer');
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

export function closest(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const dd = distance(word.toLowerCase(), o.toLowerCase());
    if (dd < bestD) [best, bestD] = [o, dd];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function describeValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v));
}

/** Validate `value` against `schema`; returns every issue found (not just the first). */
export function validateSchema(schema: SchemaNode, value: unknown, path: (string | number)[] = []): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const where = path.length ? path.join('.') : 'the file';
  if (schema.const !== undefined && value !== schema.const) {
    issues.push({ path, message: `${where} must be ${describeValue(schema.const)}`, fix: `set it to ${describeValue(schema.const)}` });
    return issues;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    const options = schema.enum.map((e) => String(e));
    const near = typeof value === 'string' ? closest(value, options) : undefined;
    issues.push({
      path,
      message: `${describeValue(value)} is not a valid ${path[path.length - 1] ?? 'value'}`,
      fix: near ? `did you mean "${near}"? (one of: ${options.join(', ')})` : `use one of: ${options.join(', ')}`,
    });
    return issues;
  }
  if (schema.type && !typeMatches(schema.type, value)) {
    issues.push({ path, message: `${where} must be ${article(schema.type)}, not ${article(typeOf(value))}`, fix: hintFor(schema) });
    return issues;
  }
  if (typeof value === 'string' && schema.pattern && !re(schema.pattern).test(value)) {
    issues.push({ path, message: `${describeValue(value)} is not allowed here`, fix: schema.description ?? `it must match ${schema.pattern}` });
  }
  if (typeof value === 'number') {
    const name = String(path[path.length - 1] ?? 'value');
    if (schema.minimum !== undefined && value < schema.minimum) issues.push({ path, message: `${name} ${value} is below ${schema.minimum}`, fix: `use a value of at least ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) issues.push({ path, message: `${name} ${value} is above ${schema.maximum}`, fix: `use a value of at most ${schema.maximum}` });
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) issues.push({ path, message: `${name} must be greater than ${schema.exclusiveMinimum}`, fix: hintFor(schema) });
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) issues.push({ path, message: `${name} must be less than ${schema.exclusiveMaximum}`, fix: hintFor(schema) });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) issues.push({ path, message: `${where} needs at least ${schema.minItems} item(s)`, fix: 'add an entry' });
    if (schema.uniqueItems) {
      const seen = new Set<string>();
      value.forEach((v, i) => {
        const k = JSON.stringify(v);
        if (seen.has(k)) issues.push({ path: [...path, i], message: `${describeValue(v)} is listed twice`, fix: 'remove the duplicate' });
        seen.add(k);
      });
    }
    if (schema.items) value.forEach((v, i) => issues.push(...validateSchema(schema.items!, v, [...path, i])));
  }
  if (typeOf(value) === 'object' && (schema.properties || schema.required || schema.propertyNames || schema.additionalProperties !== undefined)) {
    const obj = value as Record<string, unknown>;
    const props = schema.properties ?? {};
    const known = Object.keys(props);
    for (const req of schema.required ?? []) {
      if (!hasOwn(obj, req)) issues.push({ path, message: `${where} is missing "${req}"`, fix: `add ${req}:${ownValue(props, req)?.description ? ` (${ownValue(props, req)!.description})` : ''}` });
    }
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (schema.propertyNames) {
        const nameIssues = validateSchema(schema.propertyNames, k, [...path, k]);
        if (nameIssues.length) {
          issues.push({ path: [...path, k], atKey: true, message: `key ${JSON.stringify(k)} is not allowed in ${where}`, fix: schema.propertyNames.description ?? (schema.propertyNames.pattern ? `keys must match ${schema.propertyNames.pattern}` : nameIssues[0]!.fix) });
          continue;
        }
      }
      const sub = ownValue(props, k);
      if (sub) issues.push(...validateSchema(sub, v, [...path, k]));
      else if (schema.additionalProperties === false) {
        const near = closest(k, known);
        issues.push({ path: [...path, k], atKey: true, message: `unknown key "${k}"${path.length ? ` in ${where}` : ''}`, fix: near ? `did you mean "${near}"?` : `allowed keys: ${known.join(', ')}` });
      } else if (typeof schema.additionalProperties === 'object') {
        issues.push(...validateSchema(schema.additionalProperties, v, [...path, k]));
      }
    }
  }
  return issues;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** `o[k]` only when `k` is o's own key: never Object.prototype's `constructor` or `__proto__`. */
function ownValue<T>(o: Record<string, T>, k: string): T | undefined {
  return hasOwn(o, k) ? o[k] : undefined;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function hintFor(s: SchemaNode): string {
  if (s.description) return s.description;
  if (s.type === 'integer' || s.type === 'number') {
    const lo = s.minimum ?? s.exclusiveMinimum;
    const hi = s.maximum ?? s.exclusiveMaximum;
    return lo !== undefined && hi !== undefined ? `use a number between ${lo} and ${hi}` : `use a ${s.type}`;
  }
  return `use ${article(s.type ?? 'value')}`;
}
