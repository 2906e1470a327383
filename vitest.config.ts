import { defineConfig } from 'vitest/config';

// Three tiers (see docs/ARCHITECTURE.md): small = pure logic, medium = services and HTTP
// against a real database (PGlite per file, or DATABASE_URL), e2e = the built app in Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'small',
          include: ['src/**/*.test.ts', 'test/small/**/*.test.ts'],
          exclude: ['src/**/*.medium.test.ts', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'medium',
          include: ['src/**/*.medium.test.ts', 'test/medium/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
