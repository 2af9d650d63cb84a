// Detection accuracy on real repositories: runs the built detector (dist/) on each checked-out
// repository named by a truth table in test/accuracy/truth/<owner>__<repo>.json and compares.
//   npm run accuracy -- <folder holding <owner>__<repo> checkouts> [--verbose] [--draft <owner>__<repo>]
// Each truth table lists the deployables (path → name, kind, language, version, port, health,
// context, test) written by reading the repository at the recorded commit. Prints fields right /
// fields checked and deployables found / deployables, per repository and overall.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const draftAt = args.indexOf('--draft');
const draft = draftAt >= 0 ? args[draftAt + 1] : undefined;
const corpus = args.find((a, i) => !a.startsWith('--') && (draftAt < 0 || i !== draftAt + 1));
if (!corpus) {
  console.error('usage: npm run accuracy -- <folder of checked-out repositories> [--verbose] [--draft owner__repo]');
  process.exit(2);
}
const dist = join(root, 'dist/detect/index.js');
if (!existsSync(dist)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { detect } = await import(dist);

/** The comparable view of one detected deployable. */
function view(s) {
  const ev = s.evidence;
  const probe = ev.readiness?.value;
  const health = !probe ? 'none' : probe.type === 'http' ? `http:${probe.path}` : probe.type;
  return {
    path: s.path,
    name: s.name,
    kind: ev.kind.value,
    language: ev.language.value,
    version: ev.version?.value ?? null,
    port: ev.port?.value ?? null,
    health,
    context: ev.build?.context.value ?? null,
    test: ev.commands.test?.value ?? null,
  };
}

const truthDir = join(root, 'test/accuracy/truth');
const tables = readdirSync(truthDir).filter((f) => f.endsWith('.json')).sort();
if (draft) {
  const facts = detect(join(corpus, draft));
  const all = [...facts.services, ...facts.containerServices].map(view);
  console.log(JSON.stringify({ repository: draft.replace('__', '/'), services: all, skipped: facts.skipped }, null, 2));
  process.exit(0);
}
const FIELDS = ['name', 'kind', 'language', 'version', 'port', 'health', 'context', 'test'];
let right = 0;
let checked = 0;
let found = 0;
let deployables = 0;
let falsePositives = 0;
const rows = [];
for (const t of tables) {
  const truth = JSON.parse(readFileSync(join(truthDir, t), 'utf8'));
  const dir = join(corpus, t.replace(/\.json$/, ''));
  if (!existsSync(dir)) {
    console.error(`${t}: ${dir} is missing (clone ${truth.repository} at ${truth.commit} there)`);
    process.exitCode = 1;
    continue;
  }
  const facts = detect(dir);
  const got = new Map([...facts.services, ...facts.containerServices].map((s) => [s.path, view(s)]));
  let r = 0;
  let c = 0;
  let f = 0;
  const misses = [];
  for (const want of truth.services) {
    const have = got.get(want.path);
    if (have) f++;
    else misses.push(`${want.path}: not found`);
    for (const field of FIELDS) {
      if (!(field in want)) continue; // a field the table leaves out is not checked
      c++;
      if (have && JSON.stringify(have[field]) === JSON.stringify(want[field])) r++;
      else if (have) misses.push(`${want.path} ${field}: want ${JSON.stringify(want[field])}, got ${JSON.stringify(have[field])}`);
    }
  }
  const extra = [...got.keys()].filter((p) => !truth.services.some((w) => w.path === p));
  for (const p of extra) misses.push(`${p}: detected but not a deployable in the truth table`);
  right += r;
  checked += c;
  found += f;
  deployables += truth.services.length;
  falsePositives += extra.length;
  rows.push({ repo: truth.repository, commit: truth.commit.slice(0, 12), fields: `${r}/${c}`, deployables: `${f}/${truth.services.length}`, extra: extra.length });
  if (verbose) for (const m of misses) console.log(`  ${truth.repository}: ${m}`);
}
const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) : '0.0');
console.log('| repository | commit | fields right | deployables found | not deployables but detected |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.repo} | ${row.commit} | ${row.fields} | ${row.deployables} | ${row.extra} |`);
console.log(`| **overall** | | **${right}/${checked} (${pct(right, checked)}%)** | **${found}/${deployables} (${pct(found, deployables)}%)** | ${falsePositives} |`);
