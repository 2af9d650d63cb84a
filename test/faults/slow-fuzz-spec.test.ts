import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCheck } from '../../src/commands/check.js';
import { runSync } from '../../src/commands/sync.js';
import { CliError, InternalError } from '../../src/errors.js';
import { configureOutput, outputOptions } from '../../src/ui/output.js';
import { cleanupRepos, cli, generated, read, snapshotBytes } from './helpers.js';
import { rng, type Rng } from './random.js';

/**
 * Seeded spec fuzzer: a few hundred mutations of a real devops.yaml (all practices), each
 * run through check and sync. Every run must end in exit 0, 1 or 2 — never an internal error
 * or a stack trace; exit 2 writes nothing; check never writes. Most runs call the commands
 * in-process (fast); every fortieth also runs the built CLI to check exit codes and stderr.
 */
afterAll(cleanupRepos);

const SEED = 0x5eed7;
const MUTATIONS = 320;
const CLI_EVERY = 40;

const STRINGS = ['', ' ', '../x', '/etc/passwd', 'a//b', './a', 'a/', '.git', '.GIT/x', 'x/.git', 'con', 'NUL.yml', 'aux', '__proto__', 'constructor', 'toString',
  '${{ github.token }}', 'x"y', "x'y", 'x\ny', 'a'.repeat(300), '-rf', '$(id)', '`id`', 'ÿé', '💥', '\u0000', '{{x}}', '*', '~', 'deploy', 'devops.yaml',
  '.devops-init/lock.json', '.github/workflows/security.yml', 'Dockerfile', 'x="y"} or vector(1) or up{z', 'ecr', 'canary', 'node', '99.9', 'acme/..'];
const VALUES: unknown[] = [...STRINGS, 0, -1, 1.5, 65536, 1e308, 99.99, null, true, false, [], {}, [1, 2], { a: 1 }, ['ci', 'ci'], { __proto__: null }];
const KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'x', 'prot', 'selector', 'aws', 'gcp', 'deploy', 'slos', 'name', 'path', 'dockerfile'];
const TOKENS = ['\t', ':', ': ', '&a ', '*a', '{', '[', '"', "'", '- ', '\n  ', '#', '!!str ', '!!binary ', '<<: *a\n', '\ufeff', '%YAML 1.1\n', '---\n', '...\n'];

type Path = (string | number)[];

function paths(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push(...paths((v as Record<string, unknown>)[k], [...at, k]));
  return out;
}

function parentOf(root: any, p: Path): any {
  let cur = root;
  for (const k of p.slice(0, -1)) cur = cur?.[k];
  return cur;
}

function setOwn(o: any, k: string | number, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function mutateData(data: any, r: Rng): void {
  const all = paths(data).filter((p) => p.length > 0);
  const p = r.pick(all);
  const parent = parentOf(data, p);
  const key = p[p.length - 1]!;
  if (parent === null || typeof parent !== 'object') return;
  switch (r.int(6)) {
    case 0: // replace a value
      setOwn(parent, key, structuredClone(r.pick(VALUES)));
      break;
    case 1: // delete it
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 2: // an extra key next to it
      if (!Array.isArray(parent)) setOwn(parent, r.pick(KEYS), structuredClone(r.pick(VALUES)));
      break;
    case 3: // rename the key
      if (!Array.isArray(parent)) {
        const v = parent[key];
        delete parent[key];
        setOwn(parent, r.pick([...KEYS, ...STRINGS.slice(0, 12)]), v);
      }
      break;
    case 4: // duplicate an array element (two services, two SLOs…)
      if (Array.isArray(parent)) parent.push(structuredClone(parent[Number(key)]));
      else setOwn(parent, key, [parent[key], parent[key]]);
      break;
    default: // a string value becomes a hostile string
      setOwn(parent, key, r.pick(STRINGS));
  }
}

function mutateText(text: string, r: Rng): string {
  const lines = text.split('\n');
  switch (r.int(7)) {
    case 0:
      lines.splice(r.int(lines.length), 1);
      return lines.join('\n');
    case 1: {
      const i = r.int(lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 2: {
      const at = r.int(text.length);
      return text.slice(0, at) + r.pick(TOKENS) + text.slice(at);
    }
    case 3:
      return text.slice(0, r.int(text.length));
    case 4:
      return text.replace(/\n/g, '\r\n');
    case 5:
      return '\ufeff' + text;
    default:
      return text + `x-bomb: &b [${Array(r.int(3) === 0 ? 150 : 5).fill('1').join(', ')}]\nx-use: [${Array(r.int(3) === 0 ? 120 : 3).fill('*b').join(', ')}]\n`;
  }
}

/** The exit code a command function ends with, as the CLI maps it; an internal error fails the test. */
async function exitOf(fn: () => Promise<number>, what: string): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CliError && !(e instanceof InternalError)) return e.exitCode;
    throw new Error(`${what}: ${(e as Error)?.stack ?? e}`);
  }
}

function reset(dir: string): void {
  execFileSync('git', ['checkout', '-q', '--', '.'], { cwd: dir });
  execFileSync('git', ['clean', '-qfdx'], { cwd: dir });
}

/** The snapshot without devops.yaml (which every mutation rewrites). */
function others(snap: Record<string, string>): Record<string, string> {
  const { 'devops.yaml': _spec, ...rest } = snap;
  return rest;
}

describe('spec fuzzer (seeded)', () => {
  it(`${MUTATIONS} mutations: exit 0, 1 or 2 only; no stack trace; nothing written on exit 2; check never writes`, async () => {
    const dir = await generated('node-npm', 'ci,gitops,deploy,observability,monitoring,logging');
    const original = read(dir, 'devops.yaml');
    const r = rng(SEED);
    // Put the output options back afterwards: the worker runs other test files next (isolate: false).
    const saved = { ...outputOptions() };
    configureOutput({ quiet: true, json: false, color: false });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const seen = { 0: 0, 1: 0, 2: 0 } as Record<number, number>;
    const pristine = others(snapshotBytes(dir));
    try {
      for (let i = 0; i < MUTATIONS; i++) {
        let text: string;
        if (r.chance(0.7)) {
          const data = parse(original);
          for (let n = 1 + r.int(3); n > 0; n--) mutateData(data, r);
          text = stringify(data);
          if (r.chance(0.2)) text = mutateText(text, r);
        } else text = mutateText(original, r);
        writeFileSync(join(dir, 'devops.yaml'), text);
        const label = `mutation ${i} (seed ${SEED}):\n${text.slice(0, 2000)}`;
        const before = snapshotBytes(dir);
        const c = await exitOf(() => runCheck({ cwd: dir, quiet: true }), `check, ${label}`);
        expect([0, 1, 2], label).toContain(c);
        expect(snapshotBytes(dir), `check wrote: ${label}`).toEqual(before);
        const s = await exitOf(() => runSync({ cwd: dir, quiet: true }), `sync, ${label}`);
        expect([0, 1, 2], label).toContain(s);
        const after = snapshotBytes(dir);
        if (s === 2) expect(after, `sync exit 2 wrote: ${label}`).toEqual(before);
        seen[s] = (seen[s] ?? 0) + 1;
        // Only a sync that wrote needs the repository put back (git is slow to spawn).
        if (JSON.stringify(others(after)) !== JSON.stringify(pristine)) reset(dir);
        if (i % CLI_EVERY === 0) {
          writeFileSync(join(dir, 'devops.yaml'), text);
          const snap = snapshotBytes(dir);
          for (const cmd of ['check', 'sync']) {
            const res = await cli(dir, [cmd]);
            expect([0, 1, 2], `${cmd}: ${res.stderr}\n${label}`).toContain(res.exitCode);
            expect(res.stderr, label).not.toMatch(/internal error|bug in devops-init|\n\s+at /);
            if (cmd === 'check' || res.exitCode === 2) expect(snapshotBytes(dir), `${cmd} wrote: ${label}`).toEqual(snap);
          }
          reset(dir);
        }
      }
    } finally {
      stderr.mockRestore();
      configureOutput(saved);
    }
    // The fuzzer must exercise both sides: specs that are refused and specs that sync.
    expect(seen[2]).toBeGreaterThan(MUTATIONS / 4);
    expect(seen[0]! + seen[1]!).toBeGreaterThan(MUTATIONS / 10);
  }, 120_000);
});
