/** Reading runtime versions out of version files and range expressions. */

/** Node LTS code names as they appear in .nvmrc ("lts/iron"). */
const NODE_LTS: Record<string, string> = {
  argon: '4', boron: '6', carbon: '8', dubnium: '10', erbium: '12', fermium: '14',
  gallium: '16', hydrogen: '18', iron: '20', jod: '22', krypton: '24',
};

/**
 * A .nvmrc / .node-version line → "22" or "20.11" (leading 'v' dropped, patch dropped).
 * undefined for aliases that only nvm can resolve ("node", "lts/*", "stable").
 */
export function nodeVersionFile(text: string): string | undefined {
  const line = firstLine(text).toLowerCase();
  const lts = /^lts\/([a-z]+)$/.exec(line);
  if (lts) return NODE_LTS[lts[1]!];
  const m = /^v?(\d+)(?:\.(\d+|x))?/.exec(line);
  if (!m) return undefined;
  return m[2] && m[2] !== 'x' ? `${m[1]}.${m[2]}` : m[1];
}

/** A .python-version line → "3.12" (patch dropped; "pypy3.10" and "3.12.1/envs/x" handled). */
export function pythonVersionFile(text: string): string | undefined {
  const m = /(\d+\.\d+)/.exec(firstLine(text));
  return m?.[1];
}

function firstLine(text: string): string {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (line) return line;
  }
  return '';
}

/**
 * The lowest Node major an npm semver range allows: ">=20.12" → "20", "^18.17 || >=20" → "18",
 * ">16" → "17" (an X-range: >16 means >=17.0.0). undefined when no alternative has a lower bound.
 */
export function lowestNodeMajor(range: string): string | undefined {
  let best: number | undefined;
  for (const alt of range.split('||')) {
    const lo = lowerBoundMajor(alt.trim());
    if (lo !== undefined && (best === undefined || lo < best)) best = lo;
  }
  return best === undefined ? undefined : String(best);
}

function lowerBoundMajor(alt: string): number | undefined {
  const hyphen = /^v?(\d+)[^\s]*\s+-\s+/.exec(alt);
  if (hyphen) return Number(hyphen[1]);
  let lo: number | undefined;
  // Comparators are separated by spaces; the operator may be followed by a space (">= 20").
  for (const m of alt.replace(/([<>=~^]+)\s+/g, '$1').split(/\s+/)) {
    const c = /^(>=|>|=|\^|~|~>)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(m);
    if (!c) continue;
    let major = Number(c[2]);
    if (c[1] === '>' && (c[3] === undefined || c[3] === 'x' || c[3] === '*')) major += 1;
    if (lo === undefined || major > lo) lo = major;
  }
  return lo;
}

/**
 * The lowest Python minor a PEP 440 / Poetry specifier allows: ">=3.11" → "3.11",
 * "^3.11" → "3.11", ">=3.10,<4" → "3.10", "~=3.12.1" → "3.12", "3.12.*" → "3.12".
 */
export function lowestPythonMinor(spec: string): string | undefined {
  let best: [number, number] | undefined;
  for (const alt of spec.split('||')) {
    let lo: [number, number] | undefined;
    for (const part of alt.split(/[,\s]+/)) {
      const m = /^(>=|>|==|===|~=|\^|~)?\s*(\d+)\.(\d+)/.exec(part.trim());
      if (!m) continue;
      const v: [number, number] = [Number(m[2]), Number(m[3])];
      if (!lo || compare(v, lo) > 0) lo = v;
    }
    if (lo && (!best || compare(lo, best) < 0)) best = lo;
  }
  return best ? `${best[0]}.${best[1]}` : undefined;
}

function compare(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Java release numbers: "1.8" → "8", "17" → "17". */
export function javaRelease(v: string): string | undefined {
  const m = /^\s*(?:1\.)?(\d+)/.exec(v);
  return m ? m[1] : undefined;
}
