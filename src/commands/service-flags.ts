import { UsageError } from '../errors.js';

/**
 * Per-service flags such as `--port 8080` (every service) or `--port api=8080`
 * (repeatable): returns service name → parsed value.
 */
export function serviceOverrides<T>(values: string[] | undefined, services: string[], flag: string, parse: (v: string) => T | undefined): Map<string, T> {
  const out = new Map<string, T>();
  for (const raw of values ?? []) {
    const eq = raw.indexOf('=');
    const [svc, value] = eq > 0 ? [raw.slice(0, eq), raw.slice(eq + 1)] : [undefined, raw];
    const parsed = parse(value);
    if (parsed === undefined) throw new UsageError(`${flag} ${JSON.stringify(raw)}: invalid value.`);
    if (svc !== undefined && !services.includes(svc)) {
      throw new UsageError(`${flag} ${JSON.stringify(raw)}: no service named "${svc}".`, `Services: ${services.join(', ')}.`);
    }
    for (const s of svc === undefined ? services : [svc]) out.set(s, parsed);
  }
  return out;
}
