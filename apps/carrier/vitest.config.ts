import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    testTimeout: 30_000,
    // Longer than three carriers' start limits (30 s each) taken in turns on two cores, so a
    // slow start fails with its own message.
    hookTimeout: 120_000,
  },
});
