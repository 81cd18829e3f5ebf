import { defineConfig } from 'vitest/config';

/** A fixed, obviously-fake 32-byte key: tests must never depend on a real secret. */
const TEST_ENCRYPTION_KEY = `test:${Buffer.alloc(32, 7).toString('base64')}`;

export default defineConfig({
  test: {
    environment: 'node',
    include: ['server/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', 'components/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', '.next/**', '.data/**', '.test-data/**'],
    globalSetup: 'server/db/test-global-setup.ts',
    // Each file creates its own database; Argon2 and migrations make some tests slowish.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: 'test',
      SWITCHYARD_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEY,
      NEXTAUTH_SECRET: 'switchyard-test-secret-not-for-production',
      NEXTAUTH_URL: 'http://localhost:3000',
    },
  },
});
