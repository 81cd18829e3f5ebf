/**
 * Compiled tracking plans shared by every request of a web process, keyed by plan id and
 * version. The source config (re-read every second) carries only a plan's id, version and
 * enforcement; the rules are read and compiled only when a version is new here.
 */
import type pg from 'pg';
import { compilePlan, type TCompiledPlan } from './validate.ts';

const compiled = new Map<string, TCompiledPlan>();
const MAX_ENTRIES = 1000;

export async function compiledPlan(pool: pg.Pool, id: string, version: number): Promise<TCompiledPlan | null> {
  const cached = compiled.get(id);
  if (cached && cached.version === version) return cached;
  const { rows } = await pool.query<{ version: number; rules: unknown }>('SELECT version, rules FROM tracking_plans WHERE id = $1', [id]);
  if (!rows[0]) return null;
  const plan = compilePlan({ id, version: rows[0].version, rules: rows[0].rules });
  if (compiled.size >= MAX_ENTRIES) compiled.clear();
  compiled.set(id, plan);
  return plan;
}
