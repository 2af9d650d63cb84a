/** Turning arbitrary manifest names into safe Kubernetes/DNS names. */

const MAX_NAME = 40;

/**
 * A DNS-1123 label: lowercase letters, digits and '-', starting with a letter, at most 40 chars.
 * npm scopes are dropped ("@acme/web-api" → "web-api"); anything else invalid becomes '-'.
 * Returns '' when nothing usable is left, so callers can fall back to another source.
 */
export function toDnsLabel(raw: string): string {
  let s = raw.trim();
  const scoped = /^@[^/]+\/(.+)$/.exec(s);
  if (scoped) s = scoped[1]!;
  s = s
    .normalize('NFKD') // "Ünïcödé" → "U¨n¨i..." so the accents can be dropped below
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s === '') return '';
  if (!/^[a-z]/.test(s)) s = `svc-${s}`;
  return s.slice(0, MAX_NAME).replace(/-+$/, '');
}

/** The first candidate that yields a label, else `fallback`. */
export function firstLabel(candidates: (string | undefined)[], fallback: string): string {
  for (const c of candidates) {
    if (!c) continue;
    const label = toDnsLabel(c);
    if (label) return label;
  }
  return fallback;
}

/**
 * Make names unique. Every service sharing a name gets its parent folder as a suffix
 * ("api" at services/billing/api → "api-billing"); a numeric suffix settles what is left.
 */
export function dedupeNames<T extends { name: string; path: string }>(items: T[]): void {
  const count = new Map<string, number>();
  for (const it of items) count.set(it.name, (count.get(it.name) ?? 0) + 1);
  for (const it of items) {
    if ((count.get(it.name) ?? 0) < 2) continue;
    const parts = it.path.split('/');
    const parent = parts.length >= 2 ? toDnsLabel(parts[parts.length - 2]!) : '';
    if (parent) it.name = withSuffix(it.name, parent);
  }
  const used = new Set<string>();
  for (const it of items) {
    let name = it.name;
    for (let i = 2; used.has(name); i++) name = withSuffix(it.name, String(i));
    it.name = name;
    used.add(name);
  }
}

function withSuffix(name: string, suffix: string): string {
  const room = MAX_NAME - suffix.length - 1;
  return `${name.slice(0, Math.max(room, 1)).replace(/-+$/, '')}-${suffix}`;
}
