#!/usr/bin/env node
/**
 * Stand-in for the standalone `kustomize` binary CI installs (not on this machine):
 * - `kustomize build DIR` runs kubectl's built-in kustomize;
 * - `kustomize edit set image NAME=NEWNAME@DIGEST` edits ./kustomization.yaml the way
 *   kustomize does: the entry whose `name` is NAME gets `newName` and `digest` (and loses
 *   `newTag`); with no such entry a new one is appended, which then matches nothing the
 *   base uses — exactly the silent failure the contract test must catch.
 * Every call is appended to $EDIT_LOG (when set), so tests can see what ran where.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

const args = process.argv.slice(2);
if (process.env.EDIT_LOG) appendFileSync(process.env.EDIT_LOG, `${process.cwd()} ${args.join(' ')}\n`);

if (args[0] === 'build') {
  const r = spawnSync('kubectl', ['kustomize', args[1] ?? '.'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

if (args[0] === 'edit' && args[1] === 'set' && args[2] === 'image' && args.length === 4) {
  const m = /^([^=]+)=([^@]+)@(sha256:[0-9a-f]{64})$/.exec(args[3]);
  if (!m) {
    console.error(`kustomize stand-in: unsupported image argument ${args[3]} (expected NAME=NEWNAME@sha256:<64 hex>)`);
    process.exit(1);
  }
  const [, name, newName, digest] = m;
  const doc = parseDocument(readFileSync('kustomization.yaml', 'utf8'));
  let images = doc.get('images');
  if (!images) {
    doc.set('images', doc.createNode([]));
    images = doc.get('images');
  }
  const entry = images.items.find((item) => item.get('name') === name);
  if (entry) {
    entry.set('digest', digest);
    entry.set('newName', newName);
    entry.delete('newTag');
  } else {
    images.add(doc.createNode({ digest, name, newName }));
  }
  writeFileSync('kustomization.yaml', doc.toString({ indentSeq: false }));
  process.exit(0);
}

console.error(`kustomize stand-in: unsupported command: ${args.join(' ')}`);
process.exit(2);
