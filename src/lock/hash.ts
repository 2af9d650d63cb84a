import { createHash } from 'node:crypto';

/** Content hash recorded in the lock: `sha256-<hex>`. */
export function hashContent(content: string | Buffer): string {
  return 'sha256-' + createHash('sha256').update(content).digest('hex');
}
