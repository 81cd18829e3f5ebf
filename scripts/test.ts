/**
 * `npm test`: every check in sequence with its output streamed — prisma generate (only when
 * the client is missing), type check, lint, unit/integration tests on a real Postgres,
 * browser journeys — continuing past a failure so the last line always sums up all of them:
 *
 *   SUMMARY: typecheck ok · lint ok · unit 42 passed · e2e 7 passed — PASS (312 s)
 *
 * The exit code is non-zero when any step failed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { countsOf, stripAnsi } from './lib/test-counts.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const bin = (file: string) => path.join(ROOT, 'node_modules', file);

interface TStep {
  name: string;
  args: string[];
  counts?: 'vitest' | 'playwright';
}

interface TResult {
  name: string;
  isOk: boolean;
  label: string;
}

const steps: TStep[] = [
  ...(existsSync(path.join(ROOT, 'server/db/generated'))
    ? []
    : [{ name: 'generate', args: ['--import', 'tsx', path.join(ROOT, 'scripts/prisma-generate.ts')] }]),
  { name: 'typecheck', args: [bin('typescript/bin/tsc'), '--noEmit'] },
  { name: 'lint', args: [bin('eslint/bin/eslint.js'), '.'] },
  { name: 'unit', args: [bin('vitest/vitest.mjs'), 'run'], counts: 'vitest' },
  { name: 'e2e', args: [bin('@playwright/test/cli.js'), 'test'], counts: 'playwright' },
];

/** Runs one step, streaming its output, and keeps the output for counting tests. */
function run(step: TStep): Promise<{ code: number; output: string }> {
  process.stdout.write(`\n━━━ ${step.name}: ${path.basename(step.args[0])} ${step.args.slice(1).join(' ')}\n`);
  const child = spawn(process.execPath, step.args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}) },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stderr.write(chunk);
  });
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: 1, output: `${output}\n${error.message}` }));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main() {
  const started = Date.now();
  const results: TResult[] = [];
  for (const step of steps) {
    const { code, output } = await run(step);
    const counts = step.counts ? countsOf(step.counts, stripAnsi(output)) : undefined;
    const isOk = code === 0;
    if (step.name === 'generate' && isOk) continue;
    // Counts speak for themselves unless the runner failed with none of its tests failing.
    const isUnexplained = !isOk && !counts?.includes('failed');
    const outcome = counts ? `${counts}${isUnexplained ? ` (exit ${code})` : ''}` : isOk ? 'ok' : 'FAIL';
    results.push({ name: step.name, isOk, label: `${step.name} ${outcome}` });
  }
  const failed = results.filter((result) => !result.isOk).map((result) => result.name);
  const verdict = failed.length ? `FAIL: ${failed.join(', ')}` : 'PASS';
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`\nSUMMARY: ${results.map((result) => result.label).join(' · ')} — ${verdict} (${seconds} s)\n`);
  process.exit(failed.length ? 1 : 0);
}

void main();
