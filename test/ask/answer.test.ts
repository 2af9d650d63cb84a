import { describe, expect, it } from 'vitest';
import { answerAll } from '../../src/ask/answer.js';
import { deployPractice } from '../../src/practices/deploy/index.js';
import { applyToRaw } from '../../src/spec/edit.js';
import { normalizeSpec } from '../../src/spec/normalize.js';
import { UsageError } from '../../src/errors.js';
import type { SpecEdit } from '../../src/practices/types.js';

function raw() {
  return {
    version: 1,
    project: { name: 'shop', repository: 'acme/shop' },
    practices: ['ci', 'gitops', 'deploy'],
    services: [
      { name: 'api', path: 'api', language: 'node' },
      { name: 'db-sync', path: 'db-sync', language: 'go' },
    ],
  } as Record<string, unknown>;
}

async function run(flags: Record<string, unknown>, fileRaw?: Record<string, unknown>) {
  const data = fileRaw ? structuredClone(fileRaw) : raw();
  const edits = await answerAll(deployPractice.questions, normalizeSpec(data), { interactive: false, flags, raw: fileRaw }, (e: SpecEdit[]) => {
    applyToRaw(data, e);
    return normalizeSpec(data);
  });
  return { edits, spec: normalizeSpec(data) };
}

describe('answering questions', () => {
  it('a per-service flag answers for every service', async () => {
    const { spec } = await run({ strategy: 'canary', featureFlags: true });
    expect(spec.services.map((s) => [s.deploy.strategy, s.deploy.featureFlags])).toEqual([['canary', true], ['canary', true]]);
  });

  it('the strategy default follows the handbook table from the follow-up answers', async () => {
    expect((await run({ stateful: true })).spec.services.map((s) => s.deploy.strategy)).toEqual(['bluegreen', 'bluegreen']);
    expect((await run({ highTraffic: true })).spec.services.map((s) => s.deploy.strategy)).toEqual(['canary', 'canary']);
    expect((await run({})).spec.services.map((s) => s.deploy.strategy)).toEqual(['rolling', 'rolling']);
  });

  it('devops.yaml answers win over defaults, per service', async () => {
    const file = raw();
    (file['services'] as Record<string, unknown>[])[1]!['deploy'] = { strategy: 'bluegreen' };
    const { spec } = await run({}, file);
    expect(spec.services.map((s) => s.deploy.strategy)).toEqual(['rolling', 'bluegreen']);
  });

  it('an invalid flag value is a usage error naming the flag', async () => {
    await expect(run({ strategy: 'big-bang' })).rejects.toThrow(UsageError);
    await expect(run({ strategy: 'big-bang' })).rejects.toThrow(/--strategy/);
  });
});
