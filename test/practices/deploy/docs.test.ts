import { describe, expect, it } from 'vitest';
import { makeSpec, renderRecord } from '../../helpers/spec.js';

describe('deploy: feature-flag docs', () => {
  it.each(['node', 'python', 'go', 'java'] as const)('the %s snippet names the flagd variables the pod really sets', (language) => {
    const spec = makeSpec({
      practices: ['ci', 'gitops', 'deploy'],
      services: [{ name: 'api', path: '.', language, deploy: { featureFlags: true } }],
    });
    const doc = renderRecord(spec)['docs/feature-flags.md']!;
    expect(doc).toContain('FLAGD_HOST / FLAGD_PORT / FLAGD_RESOLVER');
    expect(doc).toContain('new-api-experience');
    expect(doc).not.toMatch(/__FLAG_KEY__|__SERVICE__|experienceD_/);
  });
});
