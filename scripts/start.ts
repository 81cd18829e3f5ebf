/**
 * `npm start` (the whole product on one machine) and `npm run dev` (`--dev`: Next in
 * development mode, hot reload). This file is only the launcher: it starts the supervisor
 * (scripts/lib/run-product.ts) in a process group of its own so that a Ctrl-C reaches the
 * supervisor alone, which then shuts the web process, the worker and Postgres down in order
 * (see scripts/lib/own-process-group.ts). The launcher loads nothing else, so no library
 * can install signal handlers in it.
 */
import path from 'node:path';
import { isInOwnProcessGroup, launchInOwnProcessGroup } from './lib/own-process-group.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

if (isInOwnProcessGroup()) {
  const { runProduct } = await import('./lib/run-product.ts');
  await runProduct({ isDev: process.argv.includes('--dev') });
} else {
  launchInOwnProcessGroup({ script: path.join(ROOT, 'scripts/start.ts'), cwd: process.cwd() });
}
