import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Tests import workspace packages from their sources, so a unit test never runs
// against a stale build. Tests that spawn the real CLI use the built dist.
export default defineConfig({
  resolve: {
    alias: {
      '@clearance/core': src('./shared/core/src/index.ts'),
      '@clearance/contract': src('./shared/contract/src/index.ts'),
      '@clearance/policy': src('./shared/policy/src/index.ts'),
      '@clearance/dossier': src('./shared/dossier/src/index.ts'),
      '@clearance/db': src('./shared/db/src/index.ts'),
      '@clearance/queue': src('./shared/queue/src/index.ts'),
      '@clearance/github': src('./shared/github/src/index.ts'),
      '@clearance/services': src('./shared/services/src/index.ts'),
      '@clearance/workers': src('./workers/src/index.ts'),
      '@clearance/api': src('./services/api/src/index.ts'),
      '@clearance/cli': src('./services/cli/src/index.ts'),
    },
  },
  test: {
    include: ['**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
