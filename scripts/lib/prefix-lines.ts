/**
 * Line-by-line relay of a child's output with a label in front (`[web] …`), so the output of
 * several processes stays readable when interleaved in one terminal.
 */
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export function relayLines(input: Readable | null, label: string, output: Writable = process.stdout): Promise<void> {
  if (!input) return Promise.resolve();
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => output.write(`${label} ${line}\n`));
  return new Promise((resolve) => lines.once('close', () => resolve()));
}

export function say(message: string): void {
  process.stdout.write(`[switchyard] ${message}\n`);
}

/** A framed block that stands out in a scrolling log. */
export function framed(title: string, lines: string[]): string {
  const body = [title, '', ...lines];
  const width = Math.max(...body.map((line) => line.length)) + 2;
  const bar = '═'.repeat(width);
  return [`╔${bar}╗`, ...body.map((line) => `║ ${line.padEnd(width - 1)}║`), `╚${bar}╝`].join('\n');
}
