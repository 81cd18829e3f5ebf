/**
 * Destination filters: a destination's ordered list of (condition, action) rules applied at
 * ingest. A filter is checked completely when saved (condition and every path, with the
 * position and what was expected), so nothing fails silently at run time; each change bumps
 * its version (web processes recompile only changed filters) and is audited.
 */
import { z } from 'zod';
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { ZFilterAction, type TFilterAction } from './actions.ts';
import { toBuilderShape } from './builder.ts';
import { FilterSyntaxError, parseExpression, parsePath } from './expression.ts';

export const ZFilterTitle = z.string().trim().min(1, 'Title is required').max(120);
export const ZFilterCondition = z.string().max(4000, 'The condition is longer than 4000 characters');

/** A filter as written by people and code (Segment's body: title, enabled, if, action). */
export const ZFilterInput = z.object({
  title: ZFilterTitle,
  enabled: z.boolean().optional(),
  if: ZFilterCondition,
  action: ZFilterAction,
  /** Where it runs among the destination's filters (0 first); default: last. */
  position: z.number().int().min(0).max(10_000).optional(),
});
export type TFilterInput = z.infer<typeof ZFilterInput>;

export const ZFilterPatch = ZFilterInput.partial();
export type TFilterPatch = z.infer<typeof ZFilterPatch>;

export const ZFilterView = z.object({
  id: z.string(),
  destinationId: z.string(),
  title: z.string(),
  enabled: z.boolean(),
  position: z.number(),
  if: z.string(),
  action: ZFilterAction,
  /** The condition as visual-builder rows when it fits that shape; null: only the raw expression shows it. */
  builder: z.object({ join: z.enum(['and', 'or']), rows: z.array(z.object({ path: z.string(), op: z.string(), value: z.string() })) }).nullable(),
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TFilterView = z.infer<typeof ZFilterView>;

type TRow = { id: string; destinationId: string; title: string; enabled: boolean; position: number; condition: string; action: unknown; version: number; createdAt: Date; updatedAt: Date };

function toView(row: TRow): TFilterView {
  return {
    id: row.id,
    destinationId: row.destinationId,
    title: row.title,
    enabled: row.enabled,
    position: row.position,
    if: row.condition,
    action: row.action as TFilterAction,
    builder: toBuilderShape(row.condition),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function syntaxProblem(field: string, error: FilterSyntaxError): AppError {
  return new AppError('BAD_REQUEST', `Invalid ${field}: ${error.message}`, { issues: { [field]: error.message } });
}

/** Refuses a condition or a path that would not run, saying where and what was expected. */
export function checkFilter(condition: string, action: TFilterAction): void {
  try {
    parseExpression(condition);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw syntaxProblem('if', error);
    throw error;
  }
  const paths = action.type === 'sample' ? (action.path ? [action.path] : []) : action.type === 'drop' ? [] : action.paths;
  paths.forEach((text, i) => {
    const field = action.type === 'sample' ? 'action.path' : `action.paths.${i}`;
    let path: string[];
    try {
      path = parsePath(text);
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw syntaxProblem(field, error);
      throw error;
    }
    if (action.type === 'allow_properties' && path.length < 2) {
      const message = `"${text}" names a top-level field; keep-only paths name fields inside an object, such as properties.plan or traits.email`;
      throw new AppError('BAD_REQUEST', `Invalid ${field}: ${message}`, { issues: { [field]: message } });
    }
  });
}

async function requireDestination(db: Db, workspaceId: string, destinationId: string): Promise<void> {
  const destination = await db.destination.findFirst({ where: { id: destinationId, workspaceId }, select: { id: true } });
  if (!destination) throw notFound('destination');
}

async function findRow(db: Db | Prisma.TransactionClient, workspaceId: string, filterId: string): Promise<TRow> {
  const row = await db.destinationFilter.findFirst({ where: { id: filterId, workspaceId } });
  if (!row) throw notFound('filter');
  return row;
}

const ORDER = [{ position: 'asc' }, { createdAt: 'asc' }] as const satisfies Prisma.DestinationFilterOrderByWithRelationInput[];

export async function listFilters({ db, workspaceId, destinationId }: { db: Db; workspaceId: string; destinationId: string }): Promise<{ data: TFilterView[]; nextCursor: null }> {
  await requireDestination(db, workspaceId, destinationId);
  const rows = await db.destinationFilter.findMany({ where: { workspaceId, destinationId }, orderBy: [...ORDER] });
  return { data: rows.map(toView), nextCursor: null };
}

export async function getFilter({ db, workspaceId, filterId }: { db: Db; workspaceId: string; filterId: string }): Promise<TFilterView> {
  return toView(await findRow(db, workspaceId, filterId));
}

export async function createFilter({ db, workspaceId, actor, destinationId, input }: { db: Db; workspaceId: string; actor: TActor; destinationId: string; input: TFilterInput }): Promise<TFilterView> {
  await requireDestination(db, workspaceId, destinationId);
  checkFilter(input.if, input.action);
  return db.$transaction(async (tx) => {
    const last = await tx.destinationFilter.aggregate({ where: { destinationId }, _max: { position: true } });
    const row = await tx.destinationFilter.create({
      data: {
        workspaceId,
        destinationId,
        title: input.title,
        enabled: input.enabled ?? true,
        position: input.position ?? (last._max.position ?? -1) + 1,
        condition: input.if,
        action: input.action as Prisma.InputJsonValue,
      },
    });
    const view = toView(row);
    await recordAudit({ tx, workspaceId, actor, action: 'filter.create', targetType: 'destination_filter', targetId: row.id, after: auditView(view) });
    return view;
  });
}

export async function updateFilter({ db, workspaceId, actor, filterId, patch }: { db: Db; workspaceId: string; actor: TActor; filterId: string; patch: TFilterPatch }): Promise<TFilterView> {
  const row = await findRow(db, workspaceId, filterId);
  const before = toView(row);
  checkFilter(patch.if ?? before.if, patch.action ?? before.action);
  return db.$transaction(async (tx) => {
    const updated = await tx.destinationFilter.update({
      where: { id: filterId },
      data: {
        title: patch.title,
        enabled: patch.enabled,
        position: patch.position,
        condition: patch.if,
        ...(patch.action ? { action: patch.action as Prisma.InputJsonValue } : {}),
        version: { increment: 1 },
      },
    });
    const after = toView(updated);
    await recordAudit({ tx, workspaceId, actor, action: 'filter.update', targetType: 'destination_filter', targetId: filterId, before: auditView(before), after: auditView(after) });
    return after;
  });
}

export async function deleteFilter({ db, workspaceId, actor, filterId }: { db: Db; workspaceId: string; actor: TActor; filterId: string }): Promise<void> {
  const before = toView(await findRow(db, workspaceId, filterId));
  await db.$transaction(async (tx) => {
    await tx.destinationFilter.delete({ where: { id: filterId } });
    await recordAudit({ tx, workspaceId, actor, action: 'filter.delete', targetType: 'destination_filter', targetId: filterId, before: auditView(before) });
  });
}

export const ZFilterOrder = z.object({
  /** Every filter of the destination, each once, in the order they should run. */
  filterIds: z.array(z.uuid()).max(1000),
});
export type TFilterOrder = z.infer<typeof ZFilterOrder>;

/**
 * Puts a destination's filters in the given order (positions 0, 1, …). The list must name
 * each of the destination's filters exactly once, so an order made from a stale list (a
 * filter added or deleted meanwhile) is refused rather than half applied. Versions stay:
 * a filter's rule did not change, and ingest reads the order with the source config, so the
 * new order applies to new events within a second. Audited with the order before and after.
 */
export async function reorderFilters({ db, workspaceId, actor, destinationId, input }: { db: Db; workspaceId: string; actor: TActor; destinationId: string; input: TFilterOrder }): Promise<{ data: TFilterView[]; nextCursor: null }> {
  await requireDestination(db, workspaceId, destinationId);
  return db.$transaction(async (tx) => {
    // Two reorders of one destination run one after the other.
    await tx.$queryRaw`SELECT id FROM destinations WHERE id = ${destinationId}::uuid FOR UPDATE`;
    const current = await tx.destinationFilter.findMany({ where: { workspaceId, destinationId }, orderBy: [...ORDER], select: { id: true, title: true } });
    const known = new Set(current.map((f) => f.id));
    const given = new Set(input.filterIds);
    const unknown = input.filterIds.filter((id) => !known.has(id));
    const missing = current.filter((f) => !given.has(f.id));
    if (given.size !== input.filterIds.length || unknown.length > 0 || missing.length > 0) {
      const problems = [
        given.size !== input.filterIds.length ? 'names a filter twice' : null,
        unknown.length > 0 ? `names ${unknown.length === 1 ? 'a filter' : `${unknown.length} filters`} this destination does not have (${unknown.join(', ')})` : null,
        missing.length > 0 ? `leaves out ${missing.map((f) => `“${f.title}”`).join(', ')}` : null,
      ].filter(Boolean);
      const message = `The order must list each of the destination's ${current.length} filters once; it ${problems.join(' and ')}`;
      throw new AppError('BAD_REQUEST', message, { issues: { filterIds: message } });
    }
    await tx.$executeRaw`
      UPDATE destination_filters f SET position = o.ord - 1, updated_at = now()
        FROM unnest(${input.filterIds}::uuid[]) WITH ORDINALITY AS o(id, ord)
       WHERE f.id = o.id AND f.destination_id = ${destinationId}::uuid AND f.position <> o.ord - 1`;
    const rows = await tx.destinationFilter.findMany({ where: { workspaceId, destinationId }, orderBy: [...ORDER] });
    await recordAudit({ tx, workspaceId, actor, action: 'filter.reorder', targetType: 'destination', targetId: destinationId, before: { filterIds: current.map((f) => f.id) }, after: { filterIds: input.filterIds } });
    return { data: rows.map(toView), nextCursor: null };
  });
}

function auditView(view: TFilterView) {
  // (the builder rows are derived from `if`, not kept)
  return { destinationId: view.destinationId, title: view.title, enabled: view.enabled, position: view.position, if: view.if, action: view.action, version: view.version };
}
