/**
 * A/B driver: the same benchmark from two trees, alternated A B B A (so a neighbour's load,
 * a warming disk or the time of day favours neither), then each figure's median and range
 * per side and the ratio of the medians.
 *
 *   npx tsx bench/ab.ts <A> <B> <bench> [<bench> …]
 *
 * A and B are each a directory holding a checkout (with its node_modules) or a git ref of
 * this repository (a detached worktree is made for it in the system's temp directory, with
 * this tree's node_modules linked and the Prisma client generated, and removed at the end).
 * BENCH_AB_PAIRS (default 2) pairs: 2 runs A B B A, 4 runs A B B A A B B A. Every BENCH_*
 * variable is passed to both sides; BENCH_LEAN defaults to 1 here, so both sides run the
 * same server whether or not one of them has a production build. Each run's figure lines are
 * printed as they come, with the load average before it; the summary ends the output.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const PAIRS = Number(process.env.BENCH_AB_PAIRS ?? 2);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');

interface TSide {
  label: string;
  dir: string;
  cleanup: () => void;
}

function prepare(label: string, spec: string): TSide {
  if (existsSync(path.join(spec, 'bench/run.ts'))) return { label: `${label} ${spec}`, dir: path.resolve(spec), cleanup: () => undefined };
  const sha = execFileSync('git', ['-C', ROOT, 'rev-parse', '--verify', `${spec}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), `sy-ab-${sha.slice(0, 8)}-`));
  // Enterable by others: run as root, the embedded Postgres runs as "postgres" and keeps its data in the tree.
  chmodSync(dir, 0o755);
  execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', dir, sha], { stdio: 'ignore' });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/prisma-generate.ts'], { cwd: dir, stdio: 'ignore' });
  return { label: `${label} ${spec} (${sha.slice(0, 8)})`, dir, cleanup: () => execFileSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' }) };
}

/** One run of `bench/run.ts <benches>` in `dir`; returns its figures. */
function run(dir: string, benches: string[]): Promise<Map<string, { value: number; unit: string }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...benches], {
      cwd: dir,
      env: { ...process.env, BENCH_LEAN: process.env.BENCH_LEAN ?? '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const figures = new Map<string, { value: number; unit: string }>();
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      let newline: number;
      while ((newline = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, newline);
        out = out.slice(newline + 1);
        const match = /^figure (\S+) (\S+) (.*)$/.exec(line);
        if (!match) continue;
        figures.set(match[1], { value: Number(match[2]), unit: match[3] });
        console.log(`    ${line}`);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code) => (code === 0 ? resolve(figures) : reject(new Error(`bench exited ${code} in ${dir}:\n${err}`))));
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));

async function main(): Promise<void> {
  const [a, b, ...benches] = process.argv.slice(2);
  if (!a || !b || benches.length === 0) throw new Error('usage: npx tsx bench/ab.ts <A: dir or git ref> <B: dir or git ref> <bench> [<bench> …]');
  const sides = [prepare('A', a), prepare('B', b)];
  try {
    const results: Array<Array<Map<string, { value: number; unit: string }>>> = [[], []];
    console.log(`A/B: ${benches.join(', ')}; ${sides[0].label} vs ${sides[1].label}; ${PAIRS} pairs`);
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const side of pair % 2 === 0 ? [0, 1] : [1, 0]) {
        console.log(`  run ${pair * 2 + (pair % 2 === 0 ? side : 1 - side) + 1}: ${side === 0 ? 'A' : 'B'} at ${new Date().toISOString().slice(11, 19)}, load ${loadavg()}`);
        // A failed run is reported and left out; the comparison goes on.
        await run(sides[side].dir, benches).then(
          (figures) => results[side].push(figures),
          (error: unknown) => console.log(`    FAILED: ${(error as Error).message.split('\n').slice(-6).join('\n    ')}`),
        );
      }
    }
    console.log(`\nsummary (${results[0].length} runs of A, ${results[1].length} of B, alternated; median [min – max]):`);
    console.log('| figure | A | B | B / A (medians) |');
    console.log('|---|---|---|---|');
    if (results[0].length === 0 || results[1].length === 0) throw new Error('no successful run on one side');
    for (const name of results[0][0].keys()) {
      const values = results.map((runs) => runs.map((figures) => figures.get(name)?.value ?? NaN).filter(Number.isFinite));
      if (values[1].length === 0) continue;
      const unit = results[0][0].get(name)!.unit;
      const [ma, mb] = values.map(median);
      const cell = (v: number[], m: number) => `${fmt(m)} [${fmt(Math.min(...v))} – ${fmt(Math.max(...v))}] ${unit}`;
      console.log(`| ${name} | ${cell(values[0], ma)} | ${cell(values[1], mb)} | ${(mb / ma).toFixed(3)} |`);
    }
  } finally {
    for (const side of sides) side.cleanup();
  }
}

await main();
