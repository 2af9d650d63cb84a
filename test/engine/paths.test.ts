import { describe, expect, it } from 'vitest';
import { rng } from '../faults/random.js';
import { fullUnsafePathReason, plainSafePath, unsafePathReason } from '../../src/tree/paths.js';

/** A seeded PRNG (test/faults/random.ts), so a failing case reproduces from its seed. */
const prng = (seed: number): (() => number) => rng(seed).next;

describe('unsafePathReason: the fast path for plain paths agrees with the full rules', () => {
  it.each([
    'deploy/svc-001/base/kustomization.yaml',
    '.github/workflows/ci-api.yml',
    '.devops-init/lock.json',
    'services/api/.dockerignore',
    'a',
    '...x/y',
    'con-fig/nulls.yaml',
    'x/..a/b',
  ])('takes the fast path for %s', (p) => {
    expect(plainSafePath(p)).toBe(true);
    expect(fullUnsafePathReason(p)).toBeUndefined();
  });

  it.each([
    ['', 'is empty'],
    ['/etc/passwd', 'is absolute'],
    ['a/../b', 'climbs out of the repository with ".."'],
    ['..', 'climbs out of the repository with ".."'],
    ['a//b', 'is not in normal form'],
    ['a/./b', 'is not in normal form'],
    ['./a', 'is not in normal form'],
    ['a/', 'is not in normal form'],
    ['.git/config', 'is inside .git'],
    ['x/.GIT/hooks/pre-commit', 'is inside .git'],
    ['x/.git./y', 'is inside .git'],
    ['GIT~1/config', 'is inside .git'],
    ['docs/con.md', 'uses "con.md", a name Windows reserves for a device (a checkout there would fail)'],
    ['LPT1', 'uses "LPT1", a name Windows reserves for a device (a checkout there would fail)'],
    ['a\\b', 'contains a backslash'],
    [`${'n'.repeat(256)}/x`, 'has a name longer than 255 bytes'],
    [`${'abcdefgh/'.repeat(500)}x`, 'is longer than 4096 bytes'],
  ])('refuses %j: it %s', (p, why) => {
    expect(plainSafePath(p)).toBe(false);
    expect(unsafePathReason(p)).toBe(why);
  });

  it('never calls a path safe that the full rules refuse (random paths built from awkward pieces)', () => {
    const r = prng(1312);
    const PIECES = ['a', 'svc', '-', '_', '.', '..', '...', '.git', '.Git.', 'git~1', 'git~', 'con', 'CON', 'nul.yml', 'com1', 'com¹', 'lpt9', 'aux.', 'prn.x', '/', '//', ' ', 'é', '\\', '\0', '\n', '~', 'x'.repeat(200), 'kustomization.yaml'];
    let fast = 0;
    for (let n = 0; n < 20_000; n++) {
      let p = '';
      for (let k = 1 + Math.floor(r() * 7); k > 0; k--) p += PIECES[Math.floor(r() * PIECES.length)];
      const full = fullUnsafePathReason(p);
      if (plainSafePath(p)) {
        fast++;
        expect(full, JSON.stringify(p)).toBeUndefined();
      }
      expect(unsafePathReason(p)).toBe(full);
    }
    // The fast path is really exercised, not only refused.
    expect(fast).toBeGreaterThan(2_000);
  });
});
