/**
 * Runs child processes for `npm start`: long-lived services that are restarted with capped
 * exponential backoff when they die unexpectedly, and one-off tasks (the Next build). Each
 * child runs in its own process group so the whole group (tsx and the script under it) can
 * be signalled; services get a stdin pipe whose end tells them the supervisor is gone.
 * `stop()` sends SIGTERM to every group, waits up to `graceMs`, then SIGKILLs what is left,
 * then runs the registered cleanups (stopping Postgres) in reverse order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { relayLines, say } from './prefix-lines.ts';

export interface TServiceSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** A service that ran this long before dying starts again from the minimum backoff. */
const STABLE_AFTER_MS = 30_000;

export class Supervisor {
  isStopping = false;
  private readonly running = new Set<ChildProcess>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cleanups: Array<() => Promise<void>> = [];

  constructor(private readonly graceMs = 15_000) {}

  onStop(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  private launch(spec: TServiceSpec, stdin: 'pipe' | 'ignore'): ChildProcess {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: [stdin, 'pipe', 'pipe'],
    });
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    child.stdin?.on('error', () => undefined);
    void relayLines(child.stdout, `[${spec.name}]`, process.stdout);
    void relayLines(child.stderr, `[${spec.name}]`, process.stderr);
    return child;
  }

  /** Runs a task to completion; resolves with its exit code (or a signal name). */
  run(spec: TServiceSpec): Promise<number | string> {
    const child = this.launch(spec, 'ignore');
    return new Promise((resolve) => {
      child.once('error', (error) => resolve(error.message));
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    });
  }

  /** Keeps a service running until `stop()`. */
  keepRunning(spec: TServiceSpec, backoffMs = MIN_BACKOFF_MS): void {
    if (this.isStopping) return;
    const startedAt = Date.now();
    const child = this.launch(spec, 'pipe');
    child.once('error', (error) => say(`${spec.name} could not start: ${error.message}`));
    child.once('close', (code, signal) => {
      if (this.isStopping) return;
      const next = Date.now() - startedAt >= STABLE_AFTER_MS ? MIN_BACKOFF_MS : backoffMs;
      say(`${spec.name} exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${Math.round(next / 1000)} s`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.keepRunning(spec, Math.min(next * 2, MAX_BACKOFF_MS));
      }, next);
      this.timers.add(timer);
    });
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    const children = [...this.running];
    const exited = children.map((child) =>
      child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())),
    );
    for (const child of children) this.signal(child, 'SIGTERM');
    const deadline = setTimeout(() => {
      for (const child of children.filter((candidate) => this.running.has(candidate))) {
        say(`pid ${child.pid} did not stop within ${this.graceMs / 1000} s; killing it`);
        this.signal(child, 'SIGKILL');
      }
    }, this.graceMs);
    await Promise.all(exited);
    clearTimeout(deadline);
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        say(`cleanup failed: ${(error as Error).message}`);
      }
    }
  }
}
