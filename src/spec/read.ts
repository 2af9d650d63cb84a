import { UsageError } from '../errors.js';
import { readRegular } from '../tree/read.js';

export const SPEC_FILE = 'devops.yaml';

/** devops.yaml for 300 services is well under 1 MiB; a bigger one is not read. */
export const MAX_SPEC_BYTES = 8 * 1024 * 1024;

// Kept apart from load.ts (yaml, the schema, every validation rule) so that check's fast
// path, which only needs the text for its digest, loads none of that.
/**
 * The text of `<root>/devops.yaml`, or undefined when there is none. Read only as a regular
 * file inside the repository: never through a symbolic link (which could point at /dev/zero
 * or outside the repository), never a FIFO or device (which could block), size-capped.
 */
export function readSpecText(root: string): string | undefined {
  const r = readRegular(root, SPEC_FILE, MAX_SPEC_BYTES);
  if (r.kind === 'missing') return undefined;
  if (r.kind === 'refused') {
    throw new UsageError(`Cannot use ${SPEC_FILE}: ${r.reason}.`, `devops-init reads ${SPEC_FILE} only as a regular file inside the repository (no links, pipes or devices).`);
  }
  return r.bytes.toString('utf8');
}

