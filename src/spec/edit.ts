import { isMap, isSeq, type Document } from 'yaml';
import type { SpecEdit } from '../practices/types.js';

/** Apply edits to plain data (a deep path set that creates missing objects). */
export function applyToRaw(raw: Record<string, unknown>, edits: SpecEdit[]): void {
  for (const { path, value } of edits) {
    let cur: any = raw;
    for (let i = 0; i < path.length - 1; i++) {
      const k = path[i]!;
      if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== 'object') cur[k] = typeof path[i + 1] === 'number' ? [] : {};
      cur = cur[k];
    }
    cur[path[path.length - 1]!] = structuredClone(value);
  }
}

/**
 * Apply edits to the YAML document in place: comments, key order and formatting of
 * everything else are kept (yaml's Document API). New keys are appended.
 */
export function applyToDocument(doc: Document, edits: SpecEdit[]): void {
  for (const { path, value } of edits) {
    const existing = doc.getIn(path, true);
    if (existing !== undefined && (isMap(existing) || isSeq(existing)) && typeof value === 'object' && value !== null) {
      doc.setIn(path, doc.createNode(value));
    } else {
      doc.setIn(path, value);
    }
  }
}
