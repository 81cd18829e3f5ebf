/**
 * For delivery tests that need more control than test-world's startEngine: an engine built
 * directly (allowPrivate, drain time and clock of the test's choosing) with its data
 * directory, and what it recorded per destination.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Db } from '../db/client.ts';
import { DeliveryEngine, type TEngineOptions } from './engine.ts';

export interface TTestEngine {
  engine: DeliveryEngine;
  dataDir: string;
  workerId: string;
}

/** Starts an engine; every option not given is the test default (allowPrivate `*`, idle 50 ms). Pass `allowPrivate: undefined` for production's refusal. */
export async function buildEngine(databaseUrl: string, options: Partial<Omit<TEngineOptions, 'databaseUrl' | 'dataDir'>> = {}): Promise<TTestEngine> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-delivery-'));
  const workerId = options.workerId ?? `test-${Math.random().toString(36).slice(2, 8)}`;
  const engine = new DeliveryEngine({ allowPrivate: '*', log: () => undefined, idleMs: 50, ...options, databaseUrl, dataDir, workerId });
  engine.start();
  return { engine, dataDir, workerId };
}

export function transitionsOf(db: Db, destinationId: string) {
  return db.jobTransition.findMany({ where: { destinationId }, orderBy: [{ at: 'asc' }, { attempt: 'asc' }] });
}

/** Every line of every archive file written for a destination, parsed. */
export async function readArchive(dataDir: string, destinationId: string): Promise<Array<{ jobId: string; messageId: string | null; event: { messageId: string } | null }>> {
  const root = path.join(dataDir, 'archive', destinationId);
  const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ndjson.gz'));
  const lines: string[] = [];
  for (const file of files) lines.push(...gunzipSync(await readFile(path.join(root, file))).toString('utf8').split('\n').filter(Boolean));
  return lines.map((line) => JSON.parse(line) as { jobId: string; messageId: string | null; event: { messageId: string } | null });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
