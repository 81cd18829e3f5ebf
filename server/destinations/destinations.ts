/**
 * Destinations: a source's connection to somewhere events are delivered. Settings are
 * validated against the type's schema; secrets are sealed at rest and only shown masked,
 * except the webhook signing secret, which the creator sees once.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { openJson, sealJson } from '../crypto/secret-box.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import type { TWebhookSecrets } from './catalog.ts';
import { generateSigningSecret } from './catalog.ts';
import { destinationType } from './catalog/registry.ts';
import type { TAnyDestinationType } from './catalog/types.ts';
import {
  checkDeliveryTuning,
  resolveDeliveryTuning,
  type TDeliveryTuningInput,
  ZDeliveryTuning,
  ZDeliveryTuningInput,
} from './delivery-tuning.ts';
import { assertDeliverableEndpoint } from './url-check.ts';

export const ZDestinationView = z.object({
  id: z.string(),
  sourceId: z.string(),
  sourceName: z.string(),
  type: z.string(),
  typeLabel: z.string(),
  /** The type's logo, a path under the site root. */
  typeLogo: z.string(),
  /** Where requests go: the webhook URL or the partner's endpoint. */
  endpoint: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  /** The type's settings, secrets masked (a webhook: url, headers, signingSecretHint). */
  settings: z.record(z.string(), z.unknown()),
  delivery: ZDeliveryTuning,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type TDestinationView = z.infer<typeof ZDestinationView>;

type TRow = Prisma.DestinationGetPayload<{ include: { source: { select: { name: true } } } }>;

function secretsOf(row: { secrets: string | null }): Record<string, unknown> | undefined {
  return row.secrets ? openJson<Record<string, unknown>>(row.secrets) : undefined;
}

export function typeOf(type: string): TAnyDestinationType {
  const def = destinationType(type);
  if (!def) throw new AppError('BAD_REQUEST', `unknown destination type ${type}`, { issues: { type: 'is not a type in the catalog' } });
  return def;
}

function toView(row: TRow): TDestinationView {
  const def = typeOf(row.type);
  return {
    id: row.id,
    sourceId: row.sourceId,
    sourceName: row.source.name,
    type: row.type,
    typeLabel: def.name,
    typeLogo: def.logo,
    endpoint: def.storage.endpointOf(row.settings),
    name: row.name,
    enabled: row.enabled,
    settings: def.storage.view(row.settings, secretsOf(row)),
    delivery: resolveDeliveryTuning(row.delivery),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function validateDelivery(current: unknown, patch: TDeliveryTuningInput | undefined): TDeliveryTuningInput {
  const parsed = ZDeliveryTuningInput.safeParse({ ...(current as object), ...(patch ?? {}) });
  if (!parsed.success) {
    const issues = Object.fromEntries(parsed.error.issues.map((i) => [['delivery', ...i.path].join('.'), i.message]));
    throw new AppError('BAD_REQUEST', `Invalid delivery tuning: ${Object.entries(issues).map(([k, v]) => `${k} ${v}`).join('; ')}`, { issues });
  }
  const problems = checkDeliveryTuning(resolveDeliveryTuning(parsed.data));
  if (problems) {
    throw new AppError('BAD_REQUEST', `Invalid delivery tuning: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, { issues: problems });
  }
  return parsed.data;
}

const include = { source: { select: { name: true } } } as const;

export async function listDestinations({ db, workspaceId, sourceId }: { db: Db; workspaceId: string; sourceId?: string }): Promise<TDestinationView[]> {
  const rows = await db.destination.findMany({ where: { workspaceId, ...(sourceId ? { sourceId } : {}) }, include, orderBy: { createdAt: 'asc' } });
  return rows.map(toView);
}

async function findRow(db: Db | Prisma.TransactionClient, workspaceId: string, destinationId: string): Promise<TRow> {
  const row = await db.destination.findFirst({ where: { id: destinationId, workspaceId }, include });
  if (!row) throw notFound('destination');
  return row;
}

export async function getDestination({ db, workspaceId, destinationId }: { db: Db; workspaceId: string; destinationId: string }): Promise<TDestinationView> {
  return toView(await findRow(db, workspaceId, destinationId));
}

export async function createDestination({
  db,
  workspaceId,
  actor,
  input,
  allowPrivate,
}: {
  db: Db;
  workspaceId: string;
  actor: TActor;
  input: { sourceId: string; type: string; name: string; settings: unknown; enabled?: boolean; delivery?: TDeliveryTuningInput };
  /** Private addresses this install may deliver to; default SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS. */
  allowPrivate?: string;
}): Promise<{ destination: TDestinationView; signingSecret: string | null }> {
  const source = await db.source.findFirst({ where: { id: input.sourceId, workspaceId }, select: { id: true } });
  if (!source) throw new AppError('NOT_FOUND', 'source not found', { issues: { sourceId: 'no such source in this workspace' } });
  const def = typeOf(input.type);
  const { settings, secrets } = def.storage.build(input.settings);
  await assertDeliverableEndpoint(def, settings, allowPrivate);
  const delivery = validateDelivery({}, input.delivery);
  return db.$transaction(async (tx) => {
    const row = await tx.destination.create({
      data: {
        workspaceId,
        sourceId: input.sourceId,
        type: input.type,
        name: input.name,
        enabled: input.enabled ?? true,
        settings: settings as unknown as Prisma.InputJsonValue,
        secrets: sealJson(secrets),
        delivery: delivery as Prisma.InputJsonValue,
      },
      include,
    });
    const destination = toView(row);
    await recordAudit({ tx, workspaceId, actor, action: 'destination.create', targetType: 'destination', targetId: row.id, after: auditView(destination) });
    return { destination, signingSecret: typeof secrets.signingSecret === 'string' ? secrets.signingSecret : null };
  });
}

export async function updateDestination({
  db,
  workspaceId,
  actor,
  destinationId,
  patch,
  allowPrivate,
}: {
  db: Db;
  workspaceId: string;
  actor: TActor;
  destinationId: string;
  patch: { name?: string; enabled?: boolean; settings?: unknown; delivery?: TDeliveryTuningInput };
  /** Private addresses this install may deliver to; default SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS. */
  allowPrivate?: string;
}): Promise<TDestinationView> {
  const row = await findRow(db, workspaceId, destinationId);
  const before = toView(row);
  const config = patch.settings === undefined
    ? undefined
    : typeOf(row.type).storage.build(patch.settings, { settings: row.settings, secrets: secretsOf(row) ?? {} });
  // Checked whenever settings are saved, even with an unchanged endpoint: a stored host name
  // that now resolves to a private address must not be confirmed by saving it again.
  if (config) await assertDeliverableEndpoint(typeOf(row.type), config.settings, allowPrivate);
  const delivery = patch.delivery === undefined ? undefined : validateDelivery(row.delivery, patch.delivery);
  return db.$transaction(async (tx) => {
    const updated = await tx.destination.update({
      where: { id: destinationId },
      data: {
        name: patch.name,
        enabled: patch.enabled,
        ...(config ? { settings: config.settings as unknown as Prisma.InputJsonValue, secrets: sealJson(config.secrets) } : {}),
        ...(delivery ? { delivery: delivery as Prisma.InputJsonValue } : {}),
      },
      include,
    });
    const after = toView(updated);
    await recordAudit({ tx, workspaceId, actor, action: 'destination.update', targetType: 'destination', targetId: destinationId, before: auditView(before), after: auditView(after) });
    return after;
  });
}

export async function deleteDestination({ db, workspaceId, actor, destinationId }: { db: Db; workspaceId: string; actor: TActor; destinationId: string }): Promise<void> {
  const before = toView(await findRow(db, workspaceId, destinationId));
  await db.$transaction(async (tx) => {
    await tx.destination.delete({ where: { id: destinationId } });
    await recordAudit({ tx, workspaceId, actor, action: 'destination.delete', targetType: 'destination', targetId: destinationId, before: auditView(before) });
  });
}

/** The audit trail keeps the masked view, never a secret. */
function auditView(view: TDestinationView) {
  return { name: view.name, type: view.type, sourceId: view.sourceId, enabled: view.enabled, settings: view.settings, delivery: view.delivery };
}

/**
 * Rotates a webhook's signing secret. The new secret is returned once; the old one keeps
 * signing next to it (both signatures are sent) for `overlapHours`, so receivers can switch.
 */
export async function rotateSigningSecret({ db, workspaceId, actor, destinationId, overlapHours = 24 }: { db: Db; workspaceId: string; actor: TActor; destinationId: string; overlapHours?: number }): Promise<{ destination: TDestinationView; signingSecret: string; previousValidUntil: Date }> {
  const row = await findRow(db, workspaceId, destinationId);
  if (row.type !== 'webhook') throw new AppError('BAD_REQUEST', 'only webhooks have a signing secret');
  const secrets = (secretsOf(row) ?? { signingSecret: '', headers: {} }) as unknown as TWebhookSecrets;
  const previousValidUntil = new Date(Date.now() + overlapHours * 3_600_000);
  const signingSecret = generateSigningSecret();
  const next: TWebhookSecrets = {
    ...secrets,
    signingSecret,
    previousSigningSecrets: [
      ...(secrets.previousSigningSecrets ?? []).filter((s) => s.expiresAt > Date.now()),
      ...(secrets.signingSecret ? [{ secret: secrets.signingSecret, expiresAt: previousValidUntil.getTime() }] : []),
    ],
  };
  return db.$transaction(async (tx) => {
    const updated = await tx.destination.update({ where: { id: destinationId }, data: { secrets: sealJson(next) }, include });
    const destination = toView(updated);
    await recordAudit({ tx, workspaceId, actor, action: 'destination.rotate_secret', targetType: 'destination', targetId: destinationId, after: { signingSecretHint: destination.settings.signingSecretHint, previousValidUntil } });
    return { destination, signingSecret, previousValidUntil };
  });
}
