/**
 * The repository's own rules generated files must live with: Renovate or Dependabot, yamllint,
 * markdownlint and .editorconfig settings that matter for YAML and Markdown, and Kubernetes
 * configuration the repository already has (Helm charts, Kustomize trees, plain manifests).
 */
import { parse as parseYaml } from 'yaml';
import { joinRel, type RepoFs } from './fsread.js';
import type { ExistingDeployment, RepoConventions } from './types.js';

const RENOVATE = ['renovate.json', 'renovate.json5', '.renovaterc', '.renovaterc.json', '.renovaterc.json5', '.github/renovate.json', '.github/renovate.json5', '.gitlab/renovate.json', '.gitlab/renovate.json5'];

export function readConventions(fs: RepoFs): RepoConventions {
  const out: RepoConventions = { lintIgnoreFiles: [] };
  const renovate = RENOVATE.find((f) => fs.read(f, 1) !== undefined);
  if (renovate) out.renovate = renovate;
  else {
    const pkg = fs.read('package.json');
    if (pkg && /"renovate"\s*:\s*\{/.test(pkg)) out.renovate = 'package.json (renovate key)';
  }
  const dependabot = ['.github/dependabot.yml', '.github/dependabot.yaml'].find((f) => fs.read(f, 1) !== undefined);
  if (dependabot) out.dependabot = dependabot;

  const yl = ['.yamllint', '.yamllint.yaml', '.yamllint.yml'].find((f) => fs.read(f, 1) !== undefined);
  if (yl) {
    const y: NonNullable<RepoConventions['yamllint']> = { path: yl };
    try {
      const doc = parseYaml(fs.read(yl) ?? '') as { rules?: Record<string, unknown>; ignore?: unknown } | null;
      const rules = doc?.rules ?? {};
      const rule = (n: string) => rules[n] as Record<string, unknown> | string | undefined;
      const ll = rule('line-length');
      if (ll === 'disable') y.lineLength = false;
      else if (ll && typeof ll === 'object' && typeof ll['max'] === 'number') y.lineLength = ll['max'] as number;
      const c = rule('comments');
      if (c && typeof c === 'object' && typeof c['min-spaces-from-content'] === 'number') y.commentsMinSpaces = c['min-spaces-from-content'] as number;
      const ds = rule('document-start');
      if (ds === 'disable') y.documentStart = 'disabled';
      else if (ds && typeof ds === 'object' && typeof ds['present'] === 'boolean') y.documentStart = ds['present'] ? 'required' : 'forbidden';
      const ind = rule('indentation');
      if (ind && typeof ind === 'object' && typeof ind['spaces'] === 'number') y.indentation = ind['spaces'] as number;
      const tr = rule('truthy');
      if (tr && typeof tr === 'object' && Array.isArray(tr['allowed-values'])) y.truthyAllowed = (tr['allowed-values'] as unknown[]).map(String);
      if (typeof doc?.ignore === 'string') y.ignore = doc.ignore.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
      else if (Array.isArray(doc?.ignore)) y.ignore = (doc.ignore as unknown[]).map(String);
    } catch {
      // unreadable config: only its path is reported
    }
    out.yamllint = y;
  }

  const ml = ['.markdownlint.json', '.markdownlint.jsonc', '.markdownlint.yaml', '.markdownlint.yml', '.markdownlintrc', '.markdownlint-cli2.yaml', '.markdownlint-cli2.jsonc'].find((f) => fs.read(f, 1) !== undefined);
  if (ml) {
    const m: NonNullable<RepoConventions['markdownlint']> = { path: ml, disabled: [] };
    try {
      const text = (fs.read(ml) ?? '').replace(/^\s*\/\/.*$/gm, '');
      let doc = (/\.ya?ml$/.test(ml) ? parseYaml(text) : JSON.parse(text)) as Record<string, unknown> | null;
      if (doc && typeof doc['config'] === 'object') doc = doc['config'] as Record<string, unknown>;
      for (const [k, v] of Object.entries(doc ?? {})) {
        if (v === false) m.disabled.push(k);
        if ((k === 'MD013' || k === 'line-length') && v && typeof v === 'object' && typeof (v as { line_length?: unknown }).line_length === 'number') m.lineLength = (v as { line_length: number }).line_length;
        if ((k === 'MD013' || k === 'line-length') && v === false) m.lineLength = false;
      }
    } catch {
      // unreadable config: only its path is reported
    }
    out.markdownlint = m;
  }

  const ec = fs.read('.editorconfig', 64 * 1024);
  if (ec !== undefined) {
    const sections = new Map<string, Record<string, string>>();
    let cur = '';
    for (const raw of ec.split(/\r?\n/)) {
      const line = raw.replace(/[;#].*$/, '').trim();
      const sec = /^\[(.+)\]$/.exec(line);
      if (sec) {
        cur = sec[1]!;
        continue;
      }
      const kv = /^([\w-]+)\s*=\s*(.+)$/.exec(line);
      if (kv && cur) sections.set(cur, { ...(sections.get(cur) ?? {}), [kv[1]!.toLowerCase()]: kv[2]!.trim() });
    }
    const pick = (re: RegExp) => Object.assign({}, ...[...sections].filter(([k]) => re.test(k)).map(([, v]) => v)) as Record<string, string>;
    out.editorconfig = { path: '.editorconfig', all: sections.get('*') ?? {}, yaml: pick(/ya?ml/), markdown: pick(/\bmd\b|markdown/) };
  }
  for (const f of ['.yamlignore', '.markdownlintignore', '.prettierignore']) if (fs.read(f, 1) !== undefined) out.lintIgnoreFiles.push(f);
  return out;
}

const WORKLOADS = /^kind:\s*(Deployment|StatefulSet|DaemonSet|CronJob|Job|Rollout|Service)\s*$/gm;

/**
 * Helm charts (Chart.yaml), Kustomize trees (kustomization.yaml) and folders of plain
 * manifests (YAML files with apiVersion + kind), anywhere within four levels.
 */
export function readDeployments(fs: RepoFs): ExistingDeployment[] {
  const out: ExistingDeployment[] = [];
  const folders = ['.', ...fs.walk('.', 4)];
  const inChart = (d: string) => out.some((o) => o.kind === 'helm' && (d === o.path || d.startsWith(`${o.path}/`)));
  for (const d of folders) {
    if (/(^|\/)(node_modules|test|tests|testdata|fixtures|examples?)(\/|$)/.test(d)) continue;
    const files = fs.list(d)?.files;
    if (!files) continue;
    if (files.has('Chart.yaml')) {
      out.push({ path: d, kind: 'helm', services: [] });
      continue;
    }
    if (inChart(d)) continue;
    const kust = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].find((f) => files.has(f));
    if (kust) {
      // A Kustomize Component (kind: Component) is a patch set other kustomizations include,
      // not a tree anything can deploy alone (kustomize build refuses it): never adopted.
      if (!/^kind:\s*["']?Component["']?\s*$/m.test(fs.read(joinRel(d, kust), 128 * 1024) ?? '')) out.push({ path: d, kind: 'kustomize', services: [], workloads: workloadKinds(fs, d, files) });
      continue;
    }
    const kinds = workloadKinds(fs, d, files);
    if (kinds.length && !out.some((o) => o.kind === 'kustomize' && d.startsWith(`${o.path}/`))) out.push({ path: d, kind: 'manifests', services: [], workloads: kinds });
  }
  return out;
}

function workloadKinds(fs: RepoFs, dir: string, files: Set<string>): string[] {
  const kinds = new Set<string>();
  for (const f of [...files].filter((n) => /\.ya?ml$/.test(n)).slice(0, 80)) {
    const text = fs.read(joinRel(dir, f), 128 * 1024) ?? '';
    if (!/^apiVersion:/m.test(text)) continue;
    for (const m of text.matchAll(WORKLOADS)) kinds.add(m[1]!);
  }
  return [...kinds].sort();
}

/** Workload names, container images, ports and probes in a folder's manifests (for matching and evidence). */
export interface ManifestWorkload {
  file: string;
  kind: string;
  name: string;
  images: string[];
  containerPort?: number;
  /** CronJob only: spec.schedule. */
  schedule?: string;
  probe?: { type: 'http' | 'grpc' | 'tcp'; path?: string; port?: number | string; line: number; which: 'readiness' | 'liveness' };
}

export function manifestWorkloads(fs: RepoFs, dir: string): ManifestWorkload[] {
  const out: ManifestWorkload[] = [];
  const files = [...(fs.list(dir)?.files ?? [])].filter((n) => /\.ya?ml$/.test(n)).slice(0, 80);
  for (const f of files) {
    const file = joinRel(dir, f);
    const text = fs.read(file, 256 * 1024) ?? '';
    if (!/^apiVersion:/m.test(text) || /\{\{/.test(text)) continue;
    let offset = 0;
    for (const docText of text.split(/^---\s*$/m)) {
      const startLine = text.slice(0, offset).split('\n').length;
      offset += docText.length + 4;
      let doc: Record<string, unknown> | null;
      try {
        doc = parseYaml(docText) as Record<string, unknown> | null;
      } catch {
        continue;
      }
      const kind = typeof doc?.['kind'] === 'string' ? (doc['kind'] as string) : '';
      if (!/^(Deployment|StatefulSet|DaemonSet|CronJob|Job|Rollout)$/.test(kind)) continue;
      const name = String((doc?.['metadata'] as { name?: unknown } | undefined)?.name ?? '');
      const spec = (kind === 'CronJob' ? dig(doc, ['spec', 'jobTemplate', 'spec', 'template', 'spec']) : dig(doc, ['spec', 'template', 'spec'])) as { containers?: unknown[] } | undefined;
      const containers = (spec?.containers ?? []) as Record<string, unknown>[];
      const w: ManifestWorkload = { file, kind, name, images: containers.map((c) => String(c['image'] ?? '')) };
      const schedule = kind === 'CronJob' ? dig(doc, ['spec', 'schedule']) : undefined;
      if (typeof schedule === 'string') w.schedule = schedule;
      const c0 = containers[0];
      const port = (c0?.['ports'] as { containerPort?: unknown }[] | undefined)?.[0]?.containerPort;
      if (typeof port === 'number') w.containerPort = port;
      for (const which of ['readiness', 'liveness'] as const) {
        const p = c0?.[`${which}Probe`] as Record<string, Record<string, unknown>> | undefined;
        if (!p || w.probe) continue;
        const lineIdx = docText.split('\n').findIndex((l) => l.includes(`${which}Probe:`));
        const line = startLine + Math.max(lineIdx, 0);
        if (p['httpGet']) w.probe = { type: 'http', path: String(p['httpGet']['path'] ?? '/'), port: p['httpGet']['port'] as number | string, line, which };
        else if (p['grpc']) w.probe = { type: 'grpc', port: p['grpc']['port'] as number, line, which };
        else if (p['tcpSocket']) w.probe = { type: 'tcp', port: p['tcpSocket']['port'] as number | string, line, which };
      }
      out.push(w);
    }
  }
  return out;
}

function dig(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}
