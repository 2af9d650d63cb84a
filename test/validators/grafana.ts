import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { typecheckFiles } from './tsc.js';

/** The repository root: the generated files must sit inside it to resolve @grafana/schema. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * JSON cannot name a TypeScript enum member, only its value: map string enums (ThresholdsMode,
 * VariableType, …) to their literal values, recursively, keeping every other type as it is.
 */
const AS_JSON = `type AsJson<T> = T extends string ? \`\${T}\`
  : T extends number | boolean | null | undefined ? T
  : T extends readonly (infer U)[] ? AsJson<U>[]
  : T extends object ? { [K in keyof T]: AsJson<T[K]> }
  : T;
`;

/**
 * Type-check JSON values against a TypeScript type in one compiler run: each value becomes
 * `export const d = <json> satisfies AsJson<TYPE>;` in its own .ts file under the repository
 * (so packages resolve). `satisfies` rejects wrong types and unknown properties in object
 * literals. Returns the diagnostics as `name:line:col: message` (empty = all type-check).
 */
export function typecheckJson(importLine: string, typeName: string, items: { name: string; json: unknown }[]): string[] {
  const dir = mkdtempSync(join(ROOT, '.tmp-typecheck-'));
  try {
    const files = items.map((d, i) => {
      const file = join(dir, `item-${i}.ts`);
      writeFileSync(file, `${importLine}\n${AS_JSON}export const d = ${JSON.stringify(d.json, null, 2)} satisfies AsJson<${typeName}>;\n`);
      return { file, name: d.name };
    });
    const diagnostics = typecheckFiles(
      files.map((f) => f.file),
      {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        types: [],
      },
    );
    const byFile = new Map(files.map((f) => [f.file, f.name]));
    return diagnostics.map((d) => {
      const name = d.file ? (byFile.get(d.file.fileName) ?? d.file.fileName) : 'tsc';
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const where = pos ? `:${pos.line + 1}:${pos.character + 1}` : '';
      return `${name}${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Grafana dashboards against @grafana/schema's `Dashboard` (classic JSON model), all in one batch. */
export function typecheckDashboards(dashboards: { name: string; json: unknown }[]): string[] {
  return typecheckJson("import type { Dashboard } from '@grafana/schema';", 'Dashboard', dashboards);
}
