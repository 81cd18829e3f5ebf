/**
 * Browser journeys against the whole product started the way a user starts it
 * (`scripts/start.ts`: embedded Postgres, migrations, seed, build, web + worker), in a fresh
 * data directory per run, on a free port. The runner's config is evaluated again in every
 * worker process; the per-run values travel in environment variables so all agree.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, NO_CHROMIUM_MESSAGE } from './e2e/chromium.ts';

const ROOT = import.meta.dirname;
const isCI = Boolean(process.env.CI);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.on('error', () => resolve(3100));
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 3100));
    });
  });
}

process.env.SWITCHYARD_E2E_PORT ??= String(await freePort());
const dataDir = (process.env.SWITCHYARD_E2E_DATA_DIR ??= path.join(
  ROOT,
  '.test-data',
  `e2e-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`,
));
const port = Number(process.env.SWITCHYARD_E2E_PORT);
const baseURL = `http://localhost:${port}`;

const executablePath = findChromium();
if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: isCI,
  timeout: 60_000,
  reporter: isCI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: `"${process.execPath}" node_modules/tsx/dist/cli.mjs scripts/start.ts`,
    cwd: ROOT,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    // The first start builds the app.
    timeout: 10 * 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
    env: {
      PORT: String(port),
      SWITCHYARD_DATA_DIR: dataDir,
      // Always the embedded database: a fresh install is what the journeys start from.
      DATABASE_URL: '',
      NEXTAUTH_URL: baseURL,
      // The journeys' receivers listen on loopback; everything else private stays refused,
      // as in production, so the refusal of e.g. 169.254.169.254 can be seen in the form.
      SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS: '127.0.0.0/8,::1/128',
    },
  },
});
