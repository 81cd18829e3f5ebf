/**
 * The supervisor behind `npm start` / `npm run dev` (scripts/start.ts launches it in a
 * process group of its own): validates the configuration, prepares the data directory and
 * its secrets, starts embedded Postgres unless DATABASE_URL is set, migrates and seeds,
 * builds the Next app when its sources changed (production only), then runs the web process
 * and the delivery worker, restarting either if it dies. SIGINT/SIGTERM (or the launcher
 * going away) stop both children, then Postgres, and exit 0.
 */
import path from 'node:path';
import { dataDir, env } from '../../server/env.ts';
import { StartupProblem } from '../../server/db/embedded-access.ts';
import { prepareDataDir } from './data-dir.ts';
import { openDatabase, prepareData } from './database.ts';
import { buildReason, nextBuildCommand, recordBuild, sourceFingerprint } from './next-build.ts';
import { takeOverSignals, watchLauncher } from './own-process-group.ts';
import { framed, say } from './prefix-lines.ts';
import { ensureSecrets, writePrivateJson } from './secrets.ts';
import { Supervisor, type TServiceSpec } from './supervisor.ts';
import { waitUntilAnswering } from './wait-for-http.ts';
import { WEB_NODE_FLAGS } from './node-flags.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHILD_GRACE_MS = 15_000;

export async function runProduct({ isDev }: { isDev: boolean }): Promise<void> {
  const supervisor = new Supervisor(CHILD_GRACE_MS);
  const shutdown = async (reason: string, exitCode = 0) => {
    if (supervisor.isStopping) return;
    say(`${reason}: stopping`);
    await supervisor.stop();
    say('stopped');
    process.exit(exitCode);
  };
  takeOverSignals((signal) => void shutdown(signal));
  watchLauncher(() => void shutdown('launcher gone'));

  try {
    await start({ isDev, supervisor });
  } catch (error) {
    // A problem the person can fix gets one line saying what to do; anything else its stack.
    if (error instanceof StartupProblem) console.error(`[switchyard] ${error.message}`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    await shutdown('startup failed', 1);
  }
}

async function start({ isDev, supervisor }: { isDev: boolean; supervisor: Supervisor }): Promise<void> {
  const config = env();
  const dir = dataDir();
  for (const repair of await prepareDataDir(dir, { isEmbedded: !config.DATABASE_URL })) say(`repaired permissions: ${repair}`);
  const { secrets, isNew, repairs } = await ensureSecrets(dir);
  if (isNew) say(`generated the encryption key, session secret and database password in ${path.join(dir, 'secrets.json')} (back it up)`);
  for (const repair of repairs) say(`repaired ${repair}`);

  const database = await openDatabase({ dataDir: dir, configuredUrl: config.DATABASE_URL, password: secrets.databasePassword });
  supervisor.onStop(database.stop);
  if (supervisor.isStopping) return;
  const credentials = await prepareData({ url: database.url, bootstrapToken: config.SWITCHYARD_BOOTSTRAP_TOKEN });
  const credentialsFile = path.join(dir, 'first-run-credentials.json');
  if (credentials) await writePrivateJson(credentialsFile, { ...credentials, createdAt: new Date().toISOString() });

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: isDev ? 'development' : 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(config.PORT),
    DATABASE_URL: database.url,
    SWITCHYARD_DATA_DIR: dir,
    SWITCHYARD_ENCRYPTION_KEYS: config.SWITCHYARD_ENCRYPTION_KEYS ?? secrets.encryptionKeys,
    NEXTAUTH_SECRET: config.NEXTAUTH_SECRET ?? secrets.authSecret,
    NEXTAUTH_URL: config.NEXTAUTH_URL ?? `http://localhost:${config.PORT}`,
  };
  // `node --import tsx`, not the tsx CLI: the CLI SIGKILLs a child that is busy for more
  // than ~60 ms when a signal arrives, which would cut graceful shutdowns short.
  const service = (name: string, script: string, extra: string[] = [], flags: string[] = []): TServiceSpec => ({
    name,
    command: process.execPath,
    args: [...flags, '--import', import.meta.resolve('tsx'), script, ...extra],
    env: { ...childEnv, SWITCHYARD_SUPERVISED: '1' },
    cwd: ROOT,
  });

  if (!isDev) {
    const reason = await buildReason(ROOT, await sourceFingerprint(ROOT));
    if (reason && !supervisor.isStopping) {
      say(`building the web app (${reason}); this takes a minute or two`);
      const result = await supervisor.run({ name: 'build', ...nextBuildCommand(ROOT), env: childEnv, cwd: ROOT });
      if (supervisor.isStopping) return;
      if (result !== 0) throw new Error(`the build failed (${result})`);
      // Fingerprinted after the build: `next build` may rewrite tsconfig.json.
      await recordBuild(ROOT, await sourceFingerprint(ROOT));
    }
  }
  if (supervisor.isStopping) return;

  supervisor.keepRunning(service('web', 'server/web/main.ts', isDev ? ['--dev'] : [], WEB_NODE_FLAGS));
  supervisor.keepRunning(service('worker', 'server/delivery/main.ts'));

  const url = `http://localhost:${config.PORT}`;
  if (!(await waitUntilAnswering(`http://127.0.0.1:${config.PORT}/api/health`, () => supervisor.isStopping))) return;
  say(`Switchyard is running on ${url}${isDev ? ' (development mode)' : ''}`);
  if (credentials) {
    const lines = [
      `URL       ${url}/signin`,
      `Email     ${credentials.email}`,
      `Password  ${credentials.password}`,
      '',
      'Shown once. Also saved (owner-readable only) in',
      credentialsFile,
      'Change the password after signing in (your name at the top right → Change password).',
    ];
    process.stdout.write(`\n${framed('First-run admin sign-in', lines)}\n\n`);
  }
}
