import type { SchemaNode } from './validate-schema.js';

/**
 * Patterns the schema fragments share. Values matching them are safe to place in paths,
 * YAML, shell words and HCL without further escaping (the quoting helpers still quote).
 */

/** DNS-1123 label: lowercase letters, digits and '-', starting with a letter, at most 40 characters. */
export const NAME = '^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$';
/** A repo-relative folder or file: '.', or segments without '..' that do not start with '/'. */
export const REL_PATH = '^(\\.|(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._@/-]+)$';
/** One line of text. */
export const SAFE_TEXT = '^[^\\n\\r\\x00]*$';
/** An http(s) URL with nothing a shell or YAML would interpret. */
export const URL = '^https?://[^\\s"\'`$\\\\]+$';

export const str = (extra: SchemaNode = {}): SchemaNode => ({ type: 'string', pattern: SAFE_TEXT, ...extra });
export const name = (description?: string): SchemaNode => ({ type: 'string', pattern: NAME, ...(description ? { description } : {}) });
