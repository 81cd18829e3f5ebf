/** Request and response schemas of the public REST API (also the source of openapi.json). */
import { z } from 'zod';
import { ZDestinationType } from '../destinations/catalog.ts';
import { ZDeliveryTuningInput } from '../destinations/delivery-tuning.ts';
import { ZDestinationView } from '../destinations/destinations.ts';
import { ZWebhookSettingsInput } from '../destinations/catalog.ts';

export const ZRole = z.enum(['admin', 'editor', 'support']);

export const ZWriteKey = z.object({ id: z.string(), key: z.string(), createdAt: z.date(), revokedAt: z.date().nullable() });

export const ZSource = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  writeKeys: z.array(ZWriteKey),
  destinationCount: z.number().int(),
});

const ZName = z.string().trim().min(1).max(80);

export const ZSourceCreate = z.object({ name: ZName }).strict();
export const ZSourceUpdate = z.object({ name: ZName.optional(), enabled: z.boolean().optional() }).strict();

export const ZDestination = ZDestinationView;

export const ZDestinationCreate = z
  .object({
    sourceId: z.uuid(),
    type: ZDestinationType,
    name: ZName,
    settings: ZWebhookSettingsInput,
    enabled: z.boolean().optional(),
    delivery: ZDeliveryTuningInput.optional(),
  })
  .strict();

export const ZDestinationUpdate = z
  .object({
    name: ZName.optional(),
    enabled: z.boolean().optional(),
    settings: ZWebhookSettingsInput.partial().optional(),
    delivery: ZDeliveryTuningInput.optional(),
  })
  .strict();

export const ZDestinationCreated = ZDestination.extend({
  signingSecret: z.string().describe('The webhook signing secret (whsec_…). Returned by this response only; store it now.'),
});

export const ZWorkspaceInfo = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  token: z.object({ name: z.string(), role: ZRole }),
});

export const ZAuditEntry = z.object({
  id: z.string(),
  at: z.date(),
  actorType: z.string(),
  actorLabel: z.string(),
  role: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
});

export const ZError = z.object({
  error: z.string().describe('A stable, machine-readable code, e.g. not_found'),
  message: z.string().describe('What was wrong, for people'),
  issues: z.record(z.string(), z.string()).optional().describe('Field path → problem'),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
