// One-off helper that wrote test/golden/<case>/devops.yaml: `init --yes` on each fixture and on
// examples/shop, plus variants of the Node fixture's spec (strategies, registries, tokens,
// practice subsets). Kept so the inputs can be re-created; the golden test itself only reads
// the committed devops.yaml files. Run: npm run build && node scripts/golden-specs.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'test/golden');
const cli = join(root, 'bin/devops-init.js');

function initSpec(source, name) {
  const dir = mkdtempSync(join(tmpdir(), 'golden-'));
  try {
    cpSync(source, dir, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['remote', 'add', 'origin', `https://github.com/acme/${name}.git`], { cwd: dir });
    execFileSync(process.execPath, [cli, 'init', '--yes', '-q'], { cwd: dir, stdio: 'pipe' });
    return readFileSync(join(dir, 'devops.yaml'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function save(name, text) {
  mkdirSync(join(out, name), { recursive: true });
  writeFileSync(join(out, name, 'devops.yaml'), text);
}

const fixtures = ['node-npm', 'python-poetry', 'python-uv', 'go-svc', 'java-maven', 'java-gradle', 'monorepo-pnpm', 'existing-ci'];
const specs = {};
for (const f of fixtures) save(f, (specs[f] = initSpec(join(root, 'test/fixtures', f), f)));
save('shop', initSpec(join(root, 'examples/shop'), 'shop'));

/** A variant of the Node fixture's spec: `edit(doc)` changes the parsed document. */
function variant(name, edit, base = 'node-npm') {
  const doc = parseDocument(specs[base]);
  edit(doc);
  save(name, doc.toString({ lineWidth: 0 }));
}
const svc = (doc, key, value) => doc.setIn(['services', 0, ...key], value);
variant('canary', (d) => svc(d, ['deploy', 'strategy'], 'canary'));
variant('bluegreen-manual', (d) => { svc(d, ['deploy', 'strategy'], 'bluegreen'); d.setIn(['gitops', 'productionSync'], 'manual'); });
variant('feature-flags', (d) => svc(d, ['deploy', 'featureFlags'], true));
variant('ecr-attestation', (d) => {
  d.setIn(['ci', 'registry'], 'ecr');
  d.setIn(['ci', 'signing'], 'attestation');
  d.setIn(['ci', 'aws'], d.createNode({ region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha-push' }));
});
variant('gar', (d) => {
  d.setIn(['ci', 'registry'], 'gar');
  d.setIn(['ci', 'gcp'], d.createNode({ location: 'europe-west1', project: 'acme-prod', workloadIdentityProvider: 'projects/1/locations/global/workloadIdentityPools/gh/providers/gh', serviceAccount: 'ci@acme-prod.iam.gserviceaccount.com' }));
});
variant('acr', (d) => {
  d.setIn(['ci', 'registry'], 'acr');
  d.setIn(['ci', 'azure'], d.createNode({ registry: 'acmeprod', clientId: '00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-000000000002', subscriptionId: '00000000-0000-0000-0000-000000000003' }));
});
variant('app-token-no-previews', (d) => { d.setIn(['gitops', 'promotion'], 'app-token'); d.setIn(['gitops', 'previews'], false); });
variant('ci-only', (d) => d.set('practices', d.createNode(['ci'])));
variant('gitops-only', (d) => d.set('practices', d.createNode(['ci', 'gitops'])));
variant('monitoring-only', (d) => d.set('practices', d.createNode(['monitoring'])));
variant('observability-logging', (d) => d.set('practices', d.createNode(['observability', 'logging'])));
variant('monitoring-gitops-no-otel', (d) => d.set('practices', d.createNode(['ci', 'gitops', 'deploy', 'monitoring'])));
variant('mono-canary-flags', (d) => {
  for (let i = 0; i < d.get('services').items.length; i++) {
    d.setIn(['services', i, 'deploy', 'strategy'], i % 2 ? 'bluegreen' : 'canary');
    d.setIn(['services', i, 'deploy', 'featureFlags'], true);
  }
}, 'monorepo-pnpm');
console.log(`wrote ${Object.keys(specs).length + 1 + 13} specs under ${out}`);
