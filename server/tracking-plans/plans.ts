/**
 * Tracking plans: create, read, replace (import), delete, and connect a source with its
 * enforcement. Every schema is compiled when saved, so a plan that would not run is refused
 * with the rule at fault; every change bumps the version and is audited (before and after),
 * which is the plan's history. A plan's JSON (name + rules) is also its export format.
 */
import { z } from 'zod';
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { compilePlan, PlanSchemaError, ZPlanRules, type TPlanRules } from './validate.ts';

export const ZPlanInput = z.object({ name: z.string().trim().min(1, 'Name is required').max(120), rules: ZPlanRules });
export type TPlanInput = z.infer<typeof ZPlanInput>;

export const ZPlanView = z.object({
  id: z.string(),
  name: z.string(),
  rules: ZPlanRules,
  version: z.number(),
  sources: z.array(z.object({ sourceId: z.string(), unplannedEvents: z.enum(['allow', 'block']), violations: z.enum(['allow', 'omit', 'block']) })),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TPlanView = z.infer<typeof ZPlanView>;

export const ZEnforcement = z.object({
  trackingPlanId: z.uuid().nullable(),
  unplannedEvents: z.enum(['allow', 'block']).default('allow'),
  violations: z.enum(['allow', 'omit', 'block']).default('allow'),
});
export type TEnforcement = z.infer<typeof ZEnforcement>;

const include = { sources: true } as const;
type TRow = Prisma.TrackingPlanGetPayload<{ include: typeof include }>;

function toView(row: TRow): TPlanView {
  return {
    id: row.id,
    name: row.name,
    rules: row.rules as TPlanRules,
    version: row.version,
    sources: row.sources.map((s) => ({ sourceId: s.sourceId, unplannedEvents: s.unplannedEvents as 'allow' | 'block', violations: s.violations as 'allow' | 'omit' | 'block' })),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function checkRules(rules: TPlanRules): void {
  const names = new Set<string>();
  rules.events.forEach((event, i) => {
    if (names.has(event.name)) throw new AppError('BAD_REQUEST', `Invalid rules: “${event.name}” is listed twice`, { issues: { [`rules.events.${i}.name`]: 'listed twice' } });
    names.add(event.name);
  });
  try {
    compilePlan({ id: 'check', version: 0, rules });
  } catch (error) {
    if (error instanceof PlanSchemaError) throw new AppError('BAD_REQUEST', `Invalid schema at rules.${error.rule}: ${error.message}`, { issues: { [`rules.${error.rule}`]: error.message } });
    throw error;
  }
}

async function findRow(db: Db | Prisma.TransactionClient, workspaceId: string, planId: string): Promise<TRow> {
  const row = await db.trackingPlan.findFirst({ where: { id: planId, workspaceId }, include });
  if (!row) throw notFound('tracking plan');
  return row;
}

const audited = (view: TPlanView) => ({ name: view.name, version: view.version, rules: view.rules });

export async function listTrackingPlans({ db, workspaceId }: { db: Db; workspaceId: string }): Promise<{ data: TPlanView[]; nextCursor: null }> {
  const rows = await db.trackingPlan.findMany({ where: { workspaceId }, include, orderBy: { createdAt: 'asc' } });
  return { data: rows.map(toView), nextCursor: null };
}

export async function getTrackingPlan({ db, workspaceId, trackingPlanId }: { db: Db; workspaceId: string; trackingPlanId: string }): Promise<TPlanView> {
  return toView(await findRow(db, workspaceId, trackingPlanId));
}

export async function createTrackingPlan({ db, workspaceId, actor, input }: { db: Db; workspaceId: string; actor: TActor; input: TPlanInput }): Promise<TPlanView> {
  checkRules(input.rules);
  return db.$transaction(async (tx) => {
    const row = await tx.trackingPlan.create({ data: { workspaceId, name: input.name, rules: input.rules as Prisma.InputJsonValue }, include });
    const view = toView(row);
    await recordAudit({ tx, workspaceId, actor, action: 'tracking_plan.create', targetType: 'tracking_plan', targetId: row.id, after: audited(view) });
    return view;
  });
}

/** Replaces name and rules (PUT, and importing a plan's JSON over it); the version grows. */
export async function replaceTrackingPlan({ db, workspaceId, actor, trackingPlanId, input }: { db: Db; workspaceId: string; actor: TActor; trackingPlanId: string; input: TPlanInput }): Promise<TPlanView> {
  const before = toView(await findRow(db, workspaceId, trackingPlanId));
  checkRules(input.rules);
  return db.$transaction(async (tx) => {
    const row = await tx.trackingPlan.update({ where: { id: trackingPlanId }, data: { name: input.name, rules: input.rules as Prisma.InputJsonValue, version: { increment: 1 } }, include });
    const view = toView(row);
    await recordAudit({ tx, workspaceId, actor, action: 'tracking_plan.update', targetType: 'tracking_plan', targetId: trackingPlanId, before: audited(before), after: audited(view) });
    return view;
  });
}

export async function deleteTrackingPlan({ db, workspaceId, actor, trackingPlanId }: { db: Db; workspaceId: string; actor: TActor; trackingPlanId: string }): Promise<void> {
  const before = toView(await findRow(db, workspaceId, trackingPlanId));
  await db.$transaction(async (tx) => {
    await tx.trackingPlan.delete({ where: { id: trackingPlanId } });
    await recordAudit({ tx, workspaceId, actor, action: 'tracking_plan.delete', targetType: 'tracking_plan', targetId: trackingPlanId, before: audited(before) });
  });
}

/** Connects a source to a plan with its enforcement (or disconnects it: trackingPlanId null). */
export async function setSourceTrackingPlan({ db, workspaceId, actor, sourceId, input }: { db: Db; workspaceId: string; actor: TActor; sourceId: string; input: TEnforcement }): Promise<TEnforcement> {
  const source = await db.source.findFirst({ where: { id: sourceId, workspaceId }, select: { id: true, trackingPlan: true } });
  if (!source) throw notFound('source');
  if (input.trackingPlanId) await findRow(db, workspaceId, input.trackingPlanId);
  const before = source.trackingPlan ? { trackingPlanId: source.trackingPlan.trackingPlanId, unplannedEvents: source.trackingPlan.unplannedEvents, violations: source.trackingPlan.violations } : null;
  await db.$transaction(async (tx) => {
    if (input.trackingPlanId === null) await tx.sourceTrackingPlan.deleteMany({ where: { sourceId } });
    else {
      const data = { trackingPlanId: input.trackingPlanId, unplannedEvents: input.unplannedEvents, violations: input.violations };
      await tx.sourceTrackingPlan.upsert({ where: { sourceId }, create: { sourceId, ...data }, update: data });
    }
    await recordAudit({ tx, workspaceId, actor, action: 'source.tracking_plan', targetType: 'source', targetId: sourceId, before, after: input });
  });
  return input;
}
