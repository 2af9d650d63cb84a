/**
 * Structural checks for a flagd flag file, from flagd's schema (open-feature/flagd-schemas
 * json/flags.json and targeting.json) as far as offline tests can go: no JSON-schema
 * copy ships with the packages we have, so this checks the rules that matter by hand.
 */
type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function flagdStructureErrors(doc: Json): string[] {
  const errors: string[] = [];
  if (!isObj(doc)) return ['the file is not a JSON object'];
  if (doc['$schema'] !== 'https://flagd.dev/schema/v0/flags.json') errors.push('$schema must be https://flagd.dev/schema/v0/flags.json');
  const flags = doc['flags'];
  if (!isObj(flags) || Object.keys(flags).length === 0) return [...errors, 'flags must be a non-empty object'];
  for (const [key, flag] of Object.entries(flags)) {
    const at = (m: string) => errors.push(`flags.${key}: ${m}`);
    if (!isObj(flag)) {
      at('not an object');
      continue;
    }
    for (const k of Object.keys(flag)) if (!['state', 'variants', 'defaultVariant', 'targeting', 'metadata'].includes(k)) at(`unknown property ${k}`);
    if (flag['state'] !== 'ENABLED' && flag['state'] !== 'DISABLED') at('state must be ENABLED or DISABLED');
    const variants = flag['variants'];
    if (!isObj(variants) || Object.keys(variants).length === 0) {
      at('variants must be a non-empty object');
      continue;
    }
    const types = new Set(Object.values(variants).map((v) => (Array.isArray(v) ? 'array' : typeof v)));
    if (types.size !== 1) at('all variants must have the same type');
    const dv = flag['defaultVariant'];
    if (dv !== null && (typeof dv !== 'string' || !(dv in variants))) at(`defaultVariant ${JSON.stringify(dv)} is not a variant`);
    if (flag['targeting'] !== undefined) checkRule(flag['targeting'], Object.keys(variants), (m) => at(`targeting: ${m}`));
  }
  return errors;
}

function checkRule(rule: Json, variants: string[], err: (m: string) => void): void {
  if (Array.isArray(rule)) return rule.forEach((r) => checkRule(r, variants, err));
  if (!isObj(rule)) return;
  for (const [op, args] of Object.entries(rule)) {
    if (op === 'if') {
      if (!Array.isArray(args) || args.length !== 3) err('"if" takes exactly 3 arguments (nest for else-if)');
      else {
        // The branches are results: a string result must name a variant.
        for (const branch of args.slice(1)) if (typeof branch === 'string' && !variants.includes(branch)) err(`"${branch}" is not a variant`);
      }
    }
    if (op === 'fractional') {
      const buckets = Array.isArray(args) ? args.filter((a) => Array.isArray(a)) : [];
      if (buckets.length === 0) err('"fractional" needs [variant, weight] buckets');
      let sum = 0;
      for (const b of buckets as Json[][]) {
        if (typeof b[0] !== 'string' || !variants.includes(b[0])) err(`fractional bucket ${JSON.stringify(b[0])} is not a variant`);
        if (typeof b[1] !== 'number' || b[1] < 0) err(`fractional weight for ${JSON.stringify(b[0])} must be a non-negative number`);
        else sum += b[1];
      }
      if (buckets.length > 0 && sum !== 100) err(`fractional weights sum to ${sum}, not 100`);
    }
    checkRule(args, variants, err);
  }
}
