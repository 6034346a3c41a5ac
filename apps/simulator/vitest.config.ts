import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    testTimeout: 60_000,
    // The three simulated styles are CPU-bound and the real-socket file mostly waits on its
    // carrier processes: running them side by side keeps the package inside its budget.
    maxWorkers: 2,
  },
});
