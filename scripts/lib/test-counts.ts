/**
 * Test counts read from the runners' own final lines, for the one-line summary of `npm test`:
 *
 *   vitest:     "      Tests  2 failed | 40 passed | 1 skipped (43)"
 *   playwright: "  1 failed", "  1 skipped", "  7 passed (31.2s)"
 *
 * Returns e.g. "40 passed, 2 failed, 1 skipped", or undefined when the runner printed none
 * (it crashed before running tests).
 */
const ORDER = ['passed', 'failed', 'flaky', 'skipped', 'todo', 'interrupted', 'did not run'];

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function format(counts: Map<string, number>): string | undefined {
  const parts = ORDER.filter((kind) => counts.has(kind)).map((kind) => `${counts.get(kind)} ${kind}`);
  return parts.length ? parts.join(', ') : undefined;
}

export function vitestCounts(output: string): string | undefined {
  const line = output
    .split('\n')
    .map((candidate) => candidate.trim())
    .filter((candidate) => /^Tests\s+\d/.test(candidate))
    .at(-1);
  if (!line) return undefined;
  const counts = new Map<string, number>();
  for (const part of line.replace(/^Tests\s+/, '').replace(/\s*\(\d+\)\s*$/, '').split('|')) {
    const match = /^\s*(\d+)\s+(.+?)\s*$/.exec(part);
    if (match) counts.set(match[2], Number(match[1]));
  }
  return format(counts);
}

export function playwrightCounts(output: string): string | undefined {
  const counts = new Map<string, number>();
  for (const line of output.split('\n')) {
    const match = /^\s{2}(\d+) (passed|failed|flaky|skipped|interrupted|did not run)(?: \(|$)/.exec(line.trimEnd());
    if (match) counts.set(match[2], Number(match[1]));
  }
  return format(counts);
}

export function countsOf(runner: 'vitest' | 'playwright', output: string): string | undefined {
  return runner === 'vitest' ? vitestCounts(output) : playwrightCounts(output);
}
