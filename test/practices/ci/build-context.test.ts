import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect, missingCopySources } from '../../../src/detect/index.js';
import { specFromFacts } from '../../../src/commands/spec-from-facts.js';
import { normalizeSpec } from '../../../src/spec/normalize.js';
import { buildModel } from '../../../src/model/build.js';
import { contributionOrder } from '../../../src/practices/index.js';
import { computeTree } from '../../../src/tree/compute.js';

/**
 * Issue 10: every image job builds with a context in which every COPY/ADD source of its
 * Dockerfile exists. For each fixture (a real repository layout), what init would write —
 * detection, devops.yaml, the seeded Dockerfile where the repository has none — is checked with
 * detection's own `missingCopySources`, at the context and Dockerfile the CI pipeline uses.
 */
const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const fixtures = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

function pipelineImages(root: string) {
  const facts = detect(root);
  const raw = specFromFacts(facts, 'demo', 'acme/demo', ['ci'], { ports: new Map(), health: new Map(), kinds: new Map(), tcp: new Set() });
  const spec = normalizeSpec(raw as never);
  const tree = computeTree(spec);
  // The seeded Dockerfiles init would create where the repository has none.
  for (const path of tree.paths()) {
    const f = tree.get(path)!;
    if (f.ownership === 'seeded' && /Dockerfile$/.test(path) && !existsSync(join(root, path))) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), f.content);
    }
  }
  const model = buildModel(spec, contributionOrder());
  return model.pipelines.flatMap((p) => (p.kind === 'service' ? [{ service: p.service, context: p.image.context, dockerfile: p.image.dockerfile, prebuild: p.image.prebuild }] : []));
}

describe.each(fixtures)('fixture %s: every COPY/ADD source exists in the CI build context', (name) => {
  it('for every image job', () => {
    const root = mkdtempSync(join(tmpdir(), `ctx-${name}-`));
    try {
      cpSync(join(FIXTURES, name), root, { recursive: true });
      const images = pipelineImages(root);
      expect(images.length, 'no image job').toBeGreaterThan(0);
      for (const img of images) {
        const missing = missingCopySources(root, img.context, img.dockerfile);
        // Build output (Nx dist/, Maven target/, Gradle build/) exists only after the prebuild
        // step the pipeline runs before docker build: allowed only when there is one.
        const expected = img.prebuild ? missing.filter((m) => !/^(dist|target|build|out)(\/|$)/.test(m.replace(/^(\.\/)/, ''))) : missing;
        expect(expected, `${img.service}: docker build -f ${img.dockerfile} ${img.context}${img.prebuild ? ` after ${img.prebuild}` : ''}`).toEqual([]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

it('the check fails when the context is wrong (the service folder for a root-context Dockerfile)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ctx-broken-'));
  try {
    mkdirSync(join(root, 'src/api'), { recursive: true });
    writeFileSync(join(root, 'src/api/Dockerfile'), 'FROM python:3.12.13-slim\nCOPY src/api/app.py /app/\n');
    writeFileSync(join(root, 'src/api/app.py'), '');
    expect(missingCopySources(root, 'src/api', 'src/api/Dockerfile')).not.toEqual([]);
    expect(missingCopySources(root, '.', 'src/api/Dockerfile')).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
