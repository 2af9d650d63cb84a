import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type HandlebarsNS from 'handlebars';
import { parseAllDocuments } from 'yaml';
import { emitYaml } from './yaml-emit.js';
import { InternalError } from '../errors.js';
import { overrideError } from './override-error.js';
import type { HelperSet } from '../emit/types.js';
import { hclString, jsonValue, shellWord, yamlComment, yamlScalar } from './quote.js';
import { compileSerializerOnly, FALLBACK, isSerializerOnly } from './serializer-only.js';
import { fastParseYaml, UNSUPPORTED } from '../spec/fast-yaml.js';

/**
 * Folder holding the shipped templates (templates/ beside dist/ or src/). This module runs from
 * src/render/, dist/render/ or the build's bundle (dist/bundle/): all two levels below the package.
 */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

type Template = (data: unknown, options?: { helpers?: HelperSet }) => string;
type TemplateSpec = Parameters<typeof HandlebarsNS.template>[0];

/** Compile options baked into every template: strict (a missing variable is an error), never HTML-escape. */
export const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

const require = createRequire(import.meta.url);
// Only the Handlebars runtime is loaded to render: the build precompiles the shipped
// templates (scripts/build.mjs → dist/render/precompiled.cjs), so start-up skips the
// compiler. The compiler is loaded lazily for team overrides and when running from source.
const hb = (require('handlebars/runtime') as typeof HandlebarsNS).create();
const PRECOMPILED_FILE = fileURLToPath(new URL('../render/precompiled.cjs', import.meta.url));
const precompiled: Record<string, TemplateSpec> & { serializerOnly?: string[] } = existsSync(PRECOMPILED_FILE) ? require(PRECOMPILED_FILE) : {};
const compiled = new Map<string, Template>();
/** Shipped templates whose output is the YAML emitter's alone: valid by construction, not parsed again. */
const serializerOnly = new Set<string>(precompiled.serializerOnly ?? []);

/** Compile template source to a spec the runtime can execute (the compiler is loaded on first use). */
function compileToSpec(source: string): TemplateSpec {
  const compiler = require('handlebars') as typeof HandlebarsNS;
  // precompile returns the spec as JavaScript source; evaluating it is what Handlebars.compile does internally.
  return new Function(`return ${compiler.precompile(source, COMPILE_OPTIONS)}`)() as TemplateSpec;
}

function registerHelpers(): void {
  hb.registerHelper('yaml', (v: unknown) => yamlScalar(v));
  hb.registerHelper('sh', (v: unknown) => shellWord(v));
  hb.registerHelper('hcl', (v: unknown) => hclString(v));
  hb.registerHelper('json', (v: unknown) => jsonValue(v));
  /** `{{comment text}}`: YAML comment lines, whatever the text holds (newlines included). */
  hb.registerHelper('comment', (v: unknown) => yamlComment(v));
  /** `{{toYaml value indent=4}}`: a block of YAML, every line indented by `indent` spaces; `compact=true`: lists under a key not indented. */
  hb.registerHelper('toYaml', (v: unknown, options: HandlebarsNS.HelperOptions) => {
    const indent = Number(options.hash['indent'] ?? 0);
    return emitYaml(v, indent, options.hash['compact'] === true);
  });
  hb.registerHelper('indent', (text: string, n: number) => indentLines(String(text), Number(n)));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
  hb.registerHelper('join', (list: unknown, sep: unknown) =>
    Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : '',
  );
}
registerHelpers();

export function indentLines(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

function loadTemplate(name: string, overrideText?: string): Template {
  const key = overrideText === undefined ? name : `override:${name}:${overrideText}`;
  let t = compiled.get(key);
  if (!t) {
    let spec = overrideText === undefined ? precompiled[name] : undefined;
    if (!spec) {
      let source: string;
      try {
        source = overrideText ?? readFileSync(TEMPLATES_DIR + name, 'utf8');
      } catch {
        throw new InternalError(`Template ${name} is missing from the package`);
      }
      spec = compileToSpec(source);
      if (overrideText === undefined && isSerializerOnly(source)) serializerOnly.add(name);
    }
    t = hb.template(spec) as Template;
    compiled.set(key, t);
  }
  return t;
}

type DirectTemplate = (data: unknown) => string | typeof FALLBACK;
const DIRECT_HELPERS = { toYaml: (v: unknown, compact: boolean) => emitYaml(v, 0, compact), comment: yamlComment, json: jsonValue };
const direct = new Map<string, DirectTemplate | null>();

/**
 * A shipped serializer-only template's direct renderer (src/render/serializer-only.ts), which
 * skips the Handlebars runtime; undefined for any other template (and overrides: they always
 * go through Handlebars).
 */
function directTemplate(name: string): DirectTemplate | undefined {
  // Precompiled: the build listed the serializer-only templates. From source, compileSerializerOnly decides.
  if (precompiled[name] && !serializerOnly.has(name)) return undefined;
  let d = direct.get(name);
  if (d === undefined) {
    let source: string | undefined;
    try {
      source = readFileSync(TEMPLATES_DIR + name, 'utf8');
    } catch {
      source = undefined;
    }
    d = (source !== undefined && compileSerializerOnly(source, DIRECT_HELPERS)) || null;
    direct.set(name, d);
  }
  return d ?? undefined;
}

/**
 * Render one template. A missing variable is an error naming the template; a YAML or
 * JSON output that does not parse is an error too, so invalid output never enters the tree.
 */
export function renderTemplate(name: string, data: unknown, outputPath: string, overrideText?: string, alreadyValid?: (text: string) => boolean, helpers?: HelperSet): string {
  let out: string;
  try {
    const d = overrideText === undefined && !helpers ? directTemplate(name) : undefined;
    const fast = d?.(data);
    out = typeof fast === 'string' ? fast : loadTemplate(name, overrideText)(data, helpers ? { helpers } : undefined);
  } catch (e) {
    if (overrideText !== undefined) throw overrideError(outputPath, e);
    if (e instanceof InternalError) throw e;
    throw new InternalError(`Template ${name} failed to render ${outputPath}: ${(e as Error).message}`);
  }
  // Trim trailing blanks and runs of empty lines that template conditionals leave behind.
  if (/[ \t]$/m.test(out)) out = out.replace(/[ \t]+$/gm, '');
  if (out.includes('\n\n\n')) out = out.replace(/\n{3,}/g, '\n\n');
  if (!out.endsWith('\n')) out += '\n';
  if (!(overrideText === undefined && serializerOnly.has(name)) && !alreadyValid?.(out)) {
    try {
      assertParses(out, outputPath, name);
    } catch (e) {
      throw overrideText !== undefined ? overrideError(outputPath, e) : e;
    }
  }
  return out;
}

/** Parse YAML/JSON output; throw naming the template when it is not valid. */
export function assertParses(text: string, outputPath: string, template: string): void {
  if (/\.ya?ml$/.test(outputPath)) {
    // Text the fast reader reads is text yaml reads without an error or warning (its contract,
    // proven against yaml in test/spec/fast-yaml.test.ts): the per-service workflows, a tenth
    // of the cost. Anything it does not read is parsed by yaml, which names the problem.
    if (fastParseYaml(text) !== UNSUPPORTED) return;
    for (const doc of parseAllDocuments(text)) {
      const err = 'errors' in doc ? doc.errors[0] : undefined;
      if (err) {
        throw new InternalError(`Template ${template} rendered invalid YAML for ${outputPath}: ${err.message}`);
      }
    }
  } else if (/\.json$/.test(outputPath)) {
    try {
      JSON.parse(text);
    } catch (e) {
      throw new InternalError(`Template ${template} rendered invalid JSON for ${outputPath}: ${(e as Error).message}`);
    }
  }
}
