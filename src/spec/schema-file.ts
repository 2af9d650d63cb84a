/**
 * devops.yaml's JSON Schema, shipped into the repository as a managed file (works offline, no
 * CDN). Its own module so that the lock, which names it, loads without the YAML library (an
 * unchanged `check` never parses YAML).
 */
export const SCHEMA_FILE = '.devops-init/devops.schema.json';
