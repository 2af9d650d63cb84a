import { SpecError, UsageError } from '../errors.js';
import type { Ownership } from '../spec/types.js';
import { PRACTICE_IDS, type PracticeId } from '../spec/types.js';
import { unsafePathReason } from '../tree/paths.js';
import { readRegular } from '../tree/read.js';
import { CORE_FILES, CORE_OWNER, type FileOwner } from '../tree/tree.js';
import { SCHEMA_FILE } from '../spec/schema-file.js';
import { GENERATED_IN_STATE_DIR } from '../model/otel.js';

export const LOCK_FILE = '.devops-init/lock.json';

/** The lock is small (a few hundred bytes per generated file); a bigger one is not read. */
const MAX_LOCK_BYTES = 32 * 1024 * 1024;

/**
 * Paths no lock may claim as generated: the spec, devops-init's own folder (the lock, run
 * state, template overrides) but for the few files generated there. A lock naming one has been
 * edited by hand or tampered with.
 */
export function reservedPathReason(path: string): string | undefined {
  if (path === 'devops.yaml') return 'is devops.yaml, which the team owns';
  // The one generated file in that folder: devops.yaml's JSON Schema (a managed core file).
  if (path === SCHEMA_FILE) return undefined;
  // And the OpenTelemetry Node lock (observability, managed): these exact paths, nothing else.
  if (GENERATED_IN_STATE_DIR.has(path)) return undefined;
  if (path === '.devops-init' || path.startsWith('.devops-init/')) return "is in .devops-init/, devops-init's own folder (the lock, template overrides)";
  return undefined;
}

export interface LockEntry {
  /** The practice that generated it, or `core` for files of devops-init itself (.gitattributes). */
  practice: FileOwner;
  ownership: Ownership;
  /** Hash of the last render (not of the file on disk after merges). */
  hash: string;
}

/**
 * `.devops-init/lock.json`, committed with the repo. Holds what the last render was made
 * from (tool version and a snapshot of devops.yaml) and each generated file's render hash.
 * The snapshot lets sync re-create the exact last render as the merge base in any clone.
 */
export interface Lock {
  version: 1;
  tool: string;
  practices: PracticeId[];
  /** devops.yaml as data at the last render. */
  spec: Record<string, unknown>;
  files: Record<string, LockEntry>;
  /** Paths that existed before devops-init and are left to the team (never written). */
  skipped: string[];
  /** inputsDigest() of the last render's inputs (tool version, devops.yaml text, overrides). */
  inputs?: string;
  /** renderInputsDigest(): the same with devops.yaml as data (comments and layout do not count). */
  renderInputs?: string;
}

export function emptyLock(tool: string): Lock {
  return { version: 1, tool, practices: [], spec: {}, files: Object.create(null) as Record<string, LockEntry>, skipped: [] };
}

/** Stable, reviewable JSON: sorted file keys, two-space indent, trailing newline. */
export function serializeLock(lock: Lock): string {
  const files = Object.create(null) as Record<string, LockEntry>;
  for (const k of Object.keys(lock.files).sort()) {
    const e = lock.files[k]!;
    files[k] = { practice: e.practice, ownership: e.ownership, hash: e.hash };
  }
  const ordered = { version: lock.version, tool: lock.tool, inputs: lock.inputs, renderInputs: lock.renderInputs, practices: lock.practices, files, skipped: [...lock.skipped].sort(), spec: lock.spec };
  return JSON.stringify(ordered, null, 2) + '\n';
}

function bad(message: string): never {
  throw new SpecError([{ file: LOCK_FILE, line: 1, col: 1, message, fix: 'restore it from git (`git checkout -- .devops-init/lock.json`) or delete it and run `devops-init sync` (hand edits then show as conflicts)' }]);
}

const KNOWN_PRACTICES: ReadonlySet<unknown> = new Set(PRACTICE_IDS);
const HASH = /^sha256-[0-9a-f]{64}$/;

/** Parse the lock as untrusted input: shape, practice ids, hashes and paths are all checked. */
export function parseLock(text: string): Lock {
  let data: any;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    bad(`the lock is not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || data.version !== 1) bad('the lock has an unknown format (expected "version": 1)');
  if (typeof data.tool !== 'string') bad('the lock has no tool version');
  const practices = Array.isArray(data.practices) ? data.practices : bad('the lock has no practices list');
  for (const p of practices) if (!PRACTICE_IDS.includes(p)) bad(`the lock names an unknown practice ${JSON.stringify(p)}`);
  if (data.files !== undefined && (typeof data.files !== 'object' || data.files === null || Array.isArray(data.files))) bad('the lock\'s "files" is not an object');
  // A null-prototype record: a path named "__proto__" is a key like any other.
  const files = Object.create(null) as Record<string, LockEntry>;
  const entries = data.files ?? {};
  for (const path in entries) {
    if (!Object.hasOwn(entries, path)) continue;
    const e = entries[path];
    const reason = unsafePathReason(path) ?? reservedPathReason(path);
    if (reason) bad(`the lock lists ${JSON.stringify(path)}, which ${reason}`);
    const owner = e?.practice;
    const known = KNOWN_PRACTICES.has(owner) || (owner === CORE_OWNER && CORE_FILES.has(path));
    if (!e || typeof e !== 'object' || !known || (e.ownership !== 'managed' && e.ownership !== 'seeded') || typeof e.hash !== 'string' || !HASH.test(e.hash)) {
      bad(`the lock entry for ${path} is malformed`);
    }
    files[path] = { practice: owner, ownership: e.ownership, hash: e.hash };
  }
  const skipped: string[] = [];
  for (const p of Array.isArray(data.skipped) ? data.skipped : []) {
    if (typeof p !== 'string' || unsafePathReason(p) || reservedPathReason(p)) bad(`the lock's skipped list has an unsafe path ${JSON.stringify(p)}`);
    skipped.push(p);
  }
  const spec = typeof data.spec === 'object' && data.spec !== null && !Array.isArray(data.spec) ? data.spec : {};
  const lock: Lock = { version: 1, tool: data.tool, practices, spec, files, skipped };
  if (typeof data.inputs === 'string' && /^sha256-[0-9a-f]{64}$/.test(data.inputs)) lock.inputs = data.inputs;
  if (typeof data.renderInputs === 'string' && /^sha256-[0-9a-f]{64}$/.test(data.renderInputs)) lock.renderInputs = data.renderInputs;
  return lock;
}

/**
 * Read `.devops-init/lock.json`: undefined when there is none. Read only as a regular file
 * inside the repository (never through a link, never a FIFO or device), size-capped.
 */
export function readLock(root: string): Lock | undefined {
  const r = readRegular(root, LOCK_FILE, MAX_LOCK_BYTES);
  if (r.kind === 'missing') return undefined;
  if (r.kind === 'refused') {
    throw new UsageError(`Cannot use ${LOCK_FILE}: ${r.reason}.`, 'devops-init reads the lock only as a regular file inside the repository: restore it from git (`git checkout -- .devops-init/lock.json`).');
  }
  return parseLock(r.bytes.toString('utf8'));
}

/**
 * The render hashes the lock records: renders that were parsed and found valid when they were
 * written, so an identical render need not be parsed again (tree/compute.ts `validated`).
 */
export function lockHashes(lock: Lock | undefined): ReadonlySet<string> | undefined {
  return lock ? new Set(Object.values(lock.files).map((f) => f.hash)) : undefined;
}
