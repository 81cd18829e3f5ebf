/**
 * GDPR requests (issue 11): an admin asks for one of five things about up to 5,000
 * subjects, and follows one row per target. Creating a request stores the regulation, its
 * targets, and (for the suppress types) the suppressions at once, so ingest stops storing
 * the subjects' events within the suppression cache's refresh; the worker does the rest
 * (server/privacy/runner.ts). Audit entries carry the type and the number of subjects,
 * never the identifiers: the regulation row is the only copy of those.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { uuid7 } from '../lib/uuid7.ts';
import { ZSubjectType, type TSubjectType } from './subject-types.ts';
import { bumpSuppressionVersion } from './suppressions.ts';

export const REGULATION_TYPES = ['SUPPRESS_ONLY', 'SUPPRESS_WITH_DELETE', 'DELETE_ONLY', 'UNSUPPRESS', 'DELETE_INTERNAL'] as const;
export const MAX_SUBJECTS = 5000;
export type TRegulationType = (typeof REGULATION_TYPES)[number];

export const ZRegulationType = z.enum(REGULATION_TYPES);

export const ZRegulationCreate = z.object({
  regulationType: ZRegulationType,
  subjectType: ZSubjectType,
  subjectIds: z
    .array(z.string().trim().min(1, 'A subject ID cannot be empty').max(512, 'A subject ID is at most 512 characters'))
    .min(1, 'List at least one subject')
    .max(MAX_SUBJECTS, `At most ${MAX_SUBJECTS} subjects per request; split the list into several requests`),
});
export type TRegulationCreate = z.infer<typeof ZRegulationCreate>;

export const TARGET_KINDS = ['suppression', 'event_store', 'archive', 'destination'] as const;
export type TTargetKind = (typeof TARGET_KINDS)[number];
export const TARGET_STATUSES = ['pending', 'running', 'finished', 'failed', 'not_supported'] as const;
export const REGULATION_STATUSES = ['initialized', 'running', 'finished', 'partial_success', 'failed'] as const;

export const ZRegulationTarget = z.object({
  id: z.string(),
  kind: z.enum(TARGET_KINDS),
  destinationId: z.string().nullable(),
  label: z.string(),
  status: z.enum(TARGET_STATUSES),
  attempts: z.number().int(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  /** What was removed or forwarded: counts per table / file / partner. No subject data. */
  receipt: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
});

export const ZRegulationSummary = z.object({
  id: z.string(),
  regulationType: ZRegulationType,
  subjectType: ZSubjectType,
  subjectCount: z.number().int(),
  status: z.enum(REGULATION_STATUSES),
  requestedBy: z.string(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export const ZRegulationView = ZRegulationSummary.extend({ subjectIds: z.array(z.string()), targets: z.array(ZRegulationTarget) });
export type TRegulationView = z.infer<typeof ZRegulationView>;
export type TRegulationSummary = z.infer<typeof ZRegulationSummary>;

export const ZRegulationPageInput = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().uuid().nullish(),
});
export const ZRegulationPage = z.object({ data: z.array(ZRegulationSummary), nextCursor: z.string().nullable() });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trims, de-duplicates and checks the identifiers; e-mails are compared lower-case everywhere. */
export function normalizeSubjects(subjectType: TSubjectType, subjectIds: string[]): string[] {
  const ids = [...new Set(subjectIds.map((id) => (subjectType === 'EMAIL' ? id.trim().toLowerCase() : id.trim())))];
  const issues: Record<string, string> = {};
  ids.forEach((id, index) => {
    if (id.includes('\u0000')) issues[`subjectIds.${index}`] = 'contains a NUL character';
    else if (subjectType === 'EMAIL' && !EMAIL.test(id)) issues[`subjectIds.${index}`] = `"${id}" is not an e-mail address`;
  });
  const problems = Object.keys(issues);
  if (problems.length > 0) {
    const first = issues[problems[0]];
    throw new AppError('BAD_REQUEST', `${problems.length} subject ID${problems.length === 1 ? '' : 's'} cannot be used: ${first}${problems.length > 1 ? ' (and more)' : ''}`, { issues });
  }
  return ids;
}

/** Which targets a type fans out into (destinations only for types that reach partners). */
export function targetKindsOf(type: TRegulationType): { isSuppressing: boolean; isLifting: boolean; deletesInternal: boolean; reachesPartners: boolean } {
  return {
    isSuppressing: type === 'SUPPRESS_ONLY' || type === 'SUPPRESS_WITH_DELETE',
    isLifting: type === 'UNSUPPRESS',
    deletesInternal: type === 'SUPPRESS_WITH_DELETE' || type === 'DELETE_ONLY' || type === 'DELETE_INTERNAL',
    reachesPartners: type === 'SUPPRESS_WITH_DELETE' || type === 'DELETE_ONLY',
  };
}

export async function createRegulation({ db, workspaceId, actor, input }: { db: Db; workspaceId: string; actor: TActor; input: TRegulationCreate }): Promise<TRegulationView> {
  const parsed = ZRegulationCreate.safeParse(input);
  if (!parsed.success) {
    const issues: Record<string, string> = {};
    for (const issue of parsed.error.issues) issues[issue.path.join('.')] = issue.message;
    throw new AppError('BAD_REQUEST', parsed.error.issues[0].message, { issues });
  }
  const { regulationType, subjectType } = parsed.data;
  const subjectIds = normalizeSubjects(subjectType, parsed.data.subjectIds);
  const kinds = targetKindsOf(regulationType);
  const id = uuid7();
  await db.$transaction(async (tx) => {
    const isFinishedNow = kinds.isLifting;
    await tx.regulation.create({
      data: {
        id,
        workspaceId,
        type: regulationType,
        subjectType,
        subjectIds,
        status: isFinishedNow ? 'finished' : 'initialized',
        finishedAt: isFinishedNow ? new Date() : null,
        requestedByType: actor.type,
        requestedById: actor.id,
        requestedByLabel: actor.label,
      },
    });
    const targets: Array<{ kind: TTargetKind; label: string; destinationId?: string; status?: string; receipt?: object; finishedAt?: Date }> = [];
    if (kinds.isSuppressing) {
      await tx.suppression.createMany({ data: subjectIds.map((subjectId) => ({ workspaceId, subjectType, subjectId, regulationId: id })), skipDuplicates: true });
      targets.push({ kind: 'suppression', label: 'Suppression at ingest' });
    }
    if (kinds.isLifting) {
      const lifted = await liftSuppressions({ tx, workspaceId, subjectType, subjectIds });
      targets.push({ kind: 'suppression', label: 'Suppression lifted', status: 'finished', receipt: { suppressionsLifted: lifted }, finishedAt: new Date() });
    }
    if (kinds.isSuppressing || kinds.isLifting) await bumpSuppressionVersion(tx, workspaceId);
    if (kinds.deletesInternal) {
      targets.push({ kind: 'event_store', label: 'Event store' }, { kind: 'archive', label: 'Archive' });
    }
    if (kinds.reachesPartners) {
      const destinations = await tx.destination.findMany({ where: { workspaceId }, select: { id: true, name: true, type: true }, orderBy: { createdAt: 'asc' } });
      for (const d of destinations) targets.push({ kind: 'destination', label: d.name, destinationId: d.id });
    }
    await tx.regulationTarget.createMany({
      data: targets.map((t) => ({
        id: uuid7(),
        regulationId: id,
        kind: t.kind,
        label: t.label,
        destinationId: t.destinationId ?? null,
        status: t.status ?? 'pending',
        receipt: t.receipt ?? {},
        finishedAt: t.finishedAt ?? null,
      })),
    });
    await recordAudit({ tx, workspaceId, actor, action: 'regulation.create', targetType: 'regulation', targetId: id, after: { regulationType, subjectType, subjectCount: subjectIds.length } });
  });
  return getRegulation({ db, workspaceId, regulationId: id });
}

/**
 * Removes the suppressions of these identifiers and the ones their regulation derived from
 * them (linked anonymous IDs and user IDs, see identities.ts).
 */
async function liftSuppressions({ tx, workspaceId, subjectType, subjectIds }: { tx: Parameters<Parameters<Db['$transaction']>[0]>[0]; workspaceId: string; subjectType: TSubjectType; subjectIds: string[] }): Promise<number> {
  const direct = await tx.suppression.findMany({ where: { workspaceId, subjectType, subjectId: { in: subjectIds } }, select: { regulationId: true, subjectId: true } });
  const removed = await tx.suppression.deleteMany({ where: { workspaceId, subjectType, subjectId: { in: subjectIds } } });
  // Derived rows of a regulation go with the last of its direct subjects.
  const regulationIds = [...new Set(direct.map((d) => d.regulationId))];
  let derived = 0;
  for (const regulationId of regulationIds) {
    const regulation = await tx.regulation.findUnique({ where: { id: regulationId }, select: { subjectType: true, subjectIds: true } });
    if (!regulation) continue;
    const remaining = await tx.suppression.count({ where: { workspaceId, regulationId, subjectType: regulation.subjectType, subjectId: { in: regulation.subjectIds } } });
    if (remaining === 0) derived += (await tx.suppression.deleteMany({ where: { workspaceId, regulationId } })).count;
  }
  return removed.count + derived;
}

type TRegulationRow = { id: string; type: string; subjectType: string; subjectIds: string[]; status: string; requestedByLabel: string; createdAt: Date; finishedAt: Date | null };

function summaryOf(row: TRegulationRow): TRegulationSummary {
  return {
    id: row.id,
    regulationType: row.type as TRegulationType,
    subjectType: row.subjectType as TSubjectType,
    subjectCount: row.subjectIds.length,
    status: row.status as TRegulationSummary['status'],
    requestedBy: row.requestedByLabel,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

export async function getRegulation({ db, workspaceId, regulationId }: { db: Db; workspaceId: string; regulationId: string }): Promise<TRegulationView> {
  const row = await db.regulation.findFirst({ where: { id: regulationId, workspaceId }, include: { targets: true } });
  if (!row) throw notFound('regulation');
  return {
    ...summaryOf(row),
    subjectIds: row.subjectIds,
    targets: [...row.targets].sort((a, b) => TARGET_KINDS.indexOf(a.kind as TTargetKind) - TARGET_KINDS.indexOf(b.kind as TTargetKind) || a.label.localeCompare(b.label)).map((t) => ({
      id: t.id,
      kind: t.kind as TTargetKind,
      destinationId: t.destinationId,
      label: t.label,
      status: t.status as (typeof TARGET_STATUSES)[number],
      attempts: t.attempts,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      receipt: (t.receipt ?? {}) as Record<string, unknown>,
      error: t.error,
    })),
  };
}

export async function listRegulations({ db, workspaceId, limit, cursor }: { db: Db; workspaceId: string; limit: number; cursor?: string | null }): Promise<{ data: TRegulationSummary[]; nextCursor: string | null }> {
  // uuid7 ids sort by creation time: the cursor is the last id of the page before.
  const rows = await db.regulation.findMany({
    where: { workspaceId, ...(cursor ? { id: { lt: cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: limit + 1,
    select: { id: true, type: true, subjectType: true, subjectIds: true, status: true, requestedByLabel: true, createdAt: true, finishedAt: true },
  });
  const page = rows.slice(0, limit);
  return { data: page.map(summaryOf), nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}
