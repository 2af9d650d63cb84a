import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRemoteUrl, originUrl } from '../../src/detect/git.js';
import { detect } from '../../src/detect/index.js';
import { repoWith } from './helpers.js';

const config = (url: string) => `[core]
\trepositoryformatversion = 0
\tbare = false
[remote "upstream"]
\turl = https://github.com/someone-else/fork.git
\tfetch = +refs/heads/*:refs/remotes/upstream/*
[remote "origin"]
\turl = ${url}
\tfetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
\tremote = origin
`;

describe('remote URL parsing', () => {
  it.each([
    ['https://github.com/acme/shop.git', 'acme/shop'],
    ['https://github.com/acme/shop', 'acme/shop'],
    ['https://github.com/acme/shop/', 'acme/shop'],
    ['git@github.com:acme/shop.git', 'acme/shop'],
    ['git@github.com:acme/shop', 'acme/shop'],
    ['ssh://git@github.com/acme/shop.git', 'acme/shop'],
    ['ssh://git@github.com:22/acme/shop.git', 'acme/shop'],
    ['https://x-access-token:secret@github.com/acme/shop.git', 'acme/shop'],
    ['git://github.com/acme/my.repo.git', 'acme/my.repo'],
  ])('%s → %s', (url, repo) => {
    expect(parseRemoteUrl(url)?.repository).toBe(repo);
  });

  it.each(['', 'not a url', '/srv/git/shop.git', 'https://github.com/acme', 'git@github.com:acme/../x'])(
    'rejects %j',
    (url) => {
      expect(parseRemoteUrl(url)).toBeUndefined();
    },
  );

  it('reads only the origin remote from a config file', () => {
    expect(originUrl(config('git@github.com:acme/shop.git'))).toBe('git@github.com:acme/shop.git');
    expect(originUrl('[remote "upstream"]\n\turl = https://github.com/a/b\n')).toBeUndefined();
  });
});

describe('detect() git facts', () => {
  it.each([
    ['https://github.com/acme/shop.git'],
    ['https://github.com/acme/shop'],
    ['git@github.com:acme/shop.git'],
    ['git@github.com:acme/shop'],
  ])('origin %s → acme/shop, default branch from HEAD', (url) => {
    const root = repoWith({ '.git/config': config(url), '.git/HEAD': 'ref: refs/heads/trunk\n', 'go.mod': 'module x\n' });
    const facts = detect(root);
    expect(facts.repository).toBe('acme/shop');
    expect(facts.defaultBranch).toBe('trunk');
    expect(facts.notes.join('\n')).not.toMatch(/origin/);
  });

  it("prefers origin's HEAD (the remote default) over the checked-out branch", () => {
    const root = repoWith({
      '.git/config': config('https://github.com/acme/shop.git'),
      '.git/HEAD': 'ref: refs/heads/feature/x\n',
      '.git/refs/remotes/origin/HEAD': 'ref: refs/remotes/origin/main\n',
    });
    expect(detect(root).defaultBranch).toBe('main');
  });

  it('a detached HEAD gives no branch; a non-GitHub host gives a note', () => {
    const root = repoWith({
      '.git/config': config('git@gitlab.example.com:team/shop.git'),
      '.git/HEAD': '3f1c0ffee3f1c0ffee3f1c0ffee3f1c0ffee3f1c\n',
    });
    const facts = detect(root);
    expect(facts.defaultBranch).toBeUndefined();
    expect(facts.repository).toBe('team/shop');
    expect(facts.notes).toContain('origin remote is on gitlab.example.com, not github.com');
  });

  it('follows a .git file (worktree) to its git dir and common dir', () => {
    const main = repoWith({
      '.git/config': config('git@github.com:acme/shop.git'),
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/worktrees/wt/HEAD': 'ref: refs/heads/wt-branch\n',
      '.git/worktrees/wt/commondir': '../..\n',
    });
    const wt = repoWith({ '.git': `gitdir: ${join(main, '.git/worktrees/wt')}\n` });
    const facts = detect(wt);
    expect(facts.repository).toBe('acme/shop');
    expect(facts.defaultBranch).toBe('wt-branch');
  });

  it('no .git at all: no repository, no branch, no crash', () => {
    const facts = detect(repoWith({ 'package.json': '{"name":"x"}' }));
    expect(facts.repository).toBeUndefined();
    expect(facts.defaultBranch).toBeUndefined();
  });
});
