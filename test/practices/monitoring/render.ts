import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PracticeId, Spec } from '../../../src/spec/types.js';
import { makeSpec, practiceRecord } from '../../helpers/spec.js';

/** The monitoring practice's files as `{path: content}` (from the full render of `spec`). */
export function renderMonitoring(spec: Spec): Record<string, string> {
  return practiceRecord(spec, 'monitoring');
}

/** Write a rendered record into a fresh temp folder; returns its path. */
export function writeRecord(files: Record<string, string>, prefix = 'devops-init-mon-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

/** A single Node service with the default SLOs. */
export function nodeSpec(practices: PracticeId[] = ['monitoring'], raw: Record<string, unknown> = {}): Spec {
  return makeSpec({ practices, ...raw });
}

/** A two-service monorepo: a Node API owned by a team, a Python web app with its own SLOs. */
export function monorepoSpec(practices: PracticeId[] = ['monitoring'], availability = 99.5): Spec {
  return makeSpec({
    practices,
    services: [
      { name: 'api', path: 'services/api', language: 'node', team: 'payments' },
      {
        name: 'web',
        path: 'services/web',
        language: 'python',
        slos: [
          { name: 'availability', kind: 'availability', objective: availability },
          { name: 'checkout-latency', kind: 'latency', objective: 99, thresholdMs: 1000 },
        ],
      },
    ],
  });
}
