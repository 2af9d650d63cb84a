import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      // The inlined @actions/workflow-parser ships source maps pointing at files it does not
      // publish; load it without them so vite does not warn once per module.
      name: 'workflow-parser-without-sourcemaps',
      load(id) {
        if (!id.includes('/@actions/workflow-parser/dist/') || !id.endsWith('.js')) return null;
        return readFileSync(id.split('?')[0]!, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // @actions/workflow-parser imports JSON without an import attribute; inlining lets vite load it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
