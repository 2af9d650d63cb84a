/** Go modules: version from go.mod, main packages, and go.work workspaces. */
import { joinRel, type RepoFs } from './fsread.js';

export interface GoMod {
  module?: string;
  /** "1.23" from `go 1.23` or `go 1.23.4`; the toolchain line is ignored. */
  version?: string;
}

export function parseGoMod(text: string): GoMod {
  const out: GoMod = {};
  const mod = /^\s*module\s+"?([^\s"]+)"?/m.exec(text);
  if (mod) out.module = mod[1];
  const go = /^\s*go\s+(\d+)\.(\d+)/m.exec(text);
  if (go) out.version = `${go[1]}.${go[2]}`;
  return out;
}

/** Last meaningful segment of a module path: "github.com/acme/inventory/v2" → "inventory". */
export function moduleBaseName(module: string): string | undefined {
  const segs = module.split('/').filter(Boolean);
  let last = segs.pop();
  if (last && /^v\d+$/.test(last) && segs.length) last = segs.pop();
  return last;
}

/** `use` directories of a go.work file (both `use ./x` and `use ( ./x ./y )`). */
export function parseGoWork(text: string): string[] {
  const dirs: string[] = [];
  const clean = text.replace(/\/\/.*$/gm, '');
  for (const m of clean.matchAll(/^\s*use\s+(?:\(([^)]*)\)|(\S+))/gm)) {
    const body = m[1] ?? m[2] ?? '';
    for (const tok of body.split(/\s+/)) {
      const d = tok.replace(/^"|"$/g, '').replace(/^\.\//, '').replace(/\/+$/, '');
      if (tok && !d.split('/').includes('..') && !d.startsWith('/')) dirs.push(d === '' || d === '.' ? '.' : d);
    }
  }
  return [...new Set(dirs)];
}

/**
 * Where a `package main` lives: the module folder itself or cmd/<name>/ (the usual layout).
 * Only the first 8 KiB of each file is read; the package clause is at the top.
 */
export function findMainPackage(fs: RepoFs, dir: string): string | undefined {
  const isMain = (d: string) =>
    [...(fs.list(d)?.files ?? [])]
      .filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'))
      .some((n) => /^\s*package\s+main\s*$/m.test(stripGoComments(fs.read(joinRel(d, n), 8192) ?? '')));
  if (isMain(dir)) return dir;
  const cmd = joinRel(dir, 'cmd');
  for (const sub of fs.list(cmd)?.dirs ?? []) if (isMain(joinRel(cmd, sub))) return joinRel(cmd, sub);
  return undefined;
}

function stripGoComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

export function probeGo(fs: RepoFs, dir: string, notes: string[]) {
  const reasons: string[] = [];
  const file = joinRel(dir, 'go.mod');
  const mod = parseGoMod(fs.read(file) ?? '');
  if (!mod.module) notes.push(`${file}: no module line`);
  if (mod.version) reasons.push(`${file} 'go ${mod.version}' → Go ${mod.version}`);
  else reasons.push(`${file} has no go directive → version unknown`);
  const commands = { install: 'go mod download', lint: 'go vet ./...', test: 'go test ./...', build: 'go build ./...' };
  reasons.push('go.mod → go mod download, go vet ./..., go test ./..., go build ./...');
  const nameHint = mod.module ? moduleBaseName(mod.module) : undefined;
  return {
    ...(nameHint ? { nameHint } : {}),
    ...(mod.version ? { version: mod.version } : {}),
    packageManager: 'go' as const,
    commands,
    reasons,
  };
}
