/**
 * Bounded waits for long-running processes (web server, delivery worker).
 *
 * `onShutdown`: SIGINT and SIGTERM run `stop` once; repeats are ignored because under
 * `npm start` a Ctrl-C reaches a child twice (from the terminal and from the supervisor).
 * Under the supervisor (SWITCHYARD_SUPERVISED) the end of stdin counts as a request to stop
 * too: the supervisor holds the other end of that pipe, so a supervisor killed hard leaves
 * no orphans behind. The process exits 0 when `stop` settles, or after `boundMs` at the latest.
 *
 * `withTimeout`: a hung call (a connect to an unreachable host) must not block a caller.
 */
export interface TShutdownOptions {
  name: string;
  boundMs: number;
  isSupervised: boolean;
  log?: (line: string) => void;
}

export function onShutdown(stop: (reason: string) => Promise<void>, options: TShutdownOptions): void {
  const log = options.log ?? ((line: string) => console.log(line));
  let isStopping = false;

  const begin = (reason: string) => {
    if (isStopping) return;
    isStopping = true;
    log(`${options.name}: ${reason} received, shutting down`);
    const deadline = setTimeout(() => {
      log(`${options.name}: still busy after ${options.boundMs} ms, exiting anyway`);
      process.exit(0);
    }, options.boundMs);
    stop(reason).then(
      () => {
        clearTimeout(deadline);
        log(`${options.name}: stopped`);
        process.exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        log(`${options.name}: error while stopping: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(0);
      },
    );
  };

  process.on('SIGINT', () => begin('SIGINT'));
  process.on('SIGTERM', () => begin('SIGTERM'));
  if (options.isSupervised) {
    process.stdin.on('end', () => begin('supervisor gone'));
    process.stdin.on('error', () => begin('supervisor gone'));
    process.stdin.resume();
  }
}

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
