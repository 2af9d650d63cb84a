// Writes schema/devops.schema.json (for editors) from the composed schema: devops.yaml's own
// keys plus each practice's fragment (src/spec/schema.ts). Runs after tsc, from dist/.
// Run: npm run build (test/spec/schema.test.ts checks the committed file is up to date).
import { writeFileSync } from 'node:fs';

const { composeSchema } = await import(new URL('../dist/spec/schema.js', import.meta.url).href);
writeFileSync(new URL('../schema/devops.schema.json', import.meta.url), JSON.stringify(composeSchema(), null, 2) + '\n');
