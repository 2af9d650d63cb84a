import { describe, expect, it } from 'vitest';
import { CI_CASES, renderCi } from './cases.js';

/** `{path: content}` as one readable text file, for file snapshots. */
function asText(record: Record<string, string>): string {
  return Object.entries(record).map(([path, content]) => `===== ${path} =====\n${content}`).join('\n');
}

describe('ci practice snapshots', () => {
  it('Node (npm) service', async () => {
    await expect(asText(renderCi(CI_CASES['node-npm']!))).toMatchFileSnapshot('__snapshots__/node-npm.snap');
  });

  it('monorepo (pnpm workspace + Go, gitops, observability)', async () => {
    await expect(asText(renderCi(CI_CASES['monorepo']!))).toMatchFileSnapshot('__snapshots__/monorepo.snap');
  });
});
