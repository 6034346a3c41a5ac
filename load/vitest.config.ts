import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const standIns = fileURLToPath(new URL('./test/support/k6-stand-ins/', import.meta.url));

export default defineConfig({
  // k6's modules exist only inside k6: tests that load load/recharge.ts get stand-ins.
  resolve: {
    alias: [{ find: /^k6\/(http|metrics|execution|timers)$/, replacement: `${standIns}$1.ts` }],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    testTimeout: 60_000,
  },
});
