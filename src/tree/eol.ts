import { hashContent } from '../lock/hash.js';

/**
 * Line endings and raw bytes. Files on disk are handled as bytes and never decoded as
 * UTF-8 on the way through (a Latin-1 byte in a hand edit must survive). Where text
 * operations are needed on them, a Latin-1 view is used: one char per byte, so
 * `Buffer.from(s, 'latin1')` gives back exactly the bytes.
 *
 * Windows checkouts (core.autocrlf=true) turn LF into CRLF; the renders and the lock's
 * hashes are LF. Comparison, hashing and merging therefore see files with CRLF turned into
 * LF, and a file that was CRLF is written back CRLF.
 */

const CR = 0x0d;

/** The bytes with every CRLF turned into LF (the same Buffer when there is no CR). */
export function lf(bytes: Buffer): Buffer {
  if (bytes.indexOf(CR) < 0) return bytes;
  return Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}

/** True when the file has line breaks and every one of them is CRLF. */
export function isCrlf(bytes: Buffer): boolean {
  if (bytes.indexOf(CR) < 0) return false;
  const s = bytes.toString('latin1');
  const lfs = s.split('\n').length - 1;
  return lfs > 0 && s.split('\r\n').length - 1 === lfs;
}

/** LF line breaks turned into CRLF. */
export function crlf(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

/** Raw bytes of a render or a merge result. */
export function toBytes(content: string | Buffer): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

/** Hash of a file on disk as the lock compares it: line endings normalised to LF. */
export function diskHash(bytes: Buffer): string {
  return hashContent(lf(bytes));
}

/** True when the file on disk is the render, up to line endings. */
export function sameAsRender(bytes: Buffer, render: string | Buffer): boolean {
  return lf(bytes).equals(toBytes(render));
}

/**
 * Unresolved merge conflict markers, ours (`<<<<<<< your edits`) or git's own
 * (`<<<<<<< HEAD`, diff3's `|||||||`): an opening line, a separator and a closing line, in order.
 */
export function hasConflictMarkers(bytes: Buffer | string): boolean {
  const s = typeof bytes === 'string' ? bytes : bytes.indexOf('<<<<<<<') < 0 ? '' : bytes.toString('latin1');
  if (!s.includes('<<<<<<<')) return false;
  return /^<{7}(?: [^\n]*)?\r?\n[\s\S]*?^={7}\r?\n[\s\S]*?^>{7}(?: [^\n]*)?\r?$/m.test(s);
}
