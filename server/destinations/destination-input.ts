/**
 * What callers send to create or change a destination, and what a create answers (the
 * only time the webhook signing secret is sent whole). Used by the tRPC procedures, and
 * through them by the REST API and its OpenAPI document.
 */
import { z } from 'zod';
import { ZName } from '../lib/names.ts';
import { ZDestinationTypeName } from './catalog/registry.ts';
import { ZDeliveryTuningInput } from './delivery-tuning.ts';
import { ZDestinationView } from './destinations.ts';

export const ZDestinationId = z.object({ destinationId: z.uuid() });

export const ZDestinationCreate = z.object({
  sourceId: z.uuid(),
  type: ZDestinationTypeName,
  name: ZName,
  settings: z.record(z.string(), z.unknown()).describe('The type\'s settings, validated against its schema (GET /destination-types)'),
  enabled: z.boolean().optional(),
  delivery: ZDeliveryTuningInput.optional(),
});

export const ZDestinationUpdate = z.object({
  name: ZName.optional(),
  enabled: z.boolean().optional(),
  settings: z.record(z.string(), z.unknown()).optional().describe('Changed settings; omitted fields keep their values; a secret left out, empty or null keeps its stored value'),
  delivery: ZDeliveryTuningInput.optional(),
});

export const ZDestinationCreated = ZDestinationView.extend({
  signingSecret: z.string().nullable().describe('The webhook signing secret (whsec_…), null for other types. Returned by this response only; store it now.'),
});

export const ZSecretRotated = z.object({
  destination: ZDestinationView,
  signingSecret: z.string().describe('The new signing secret, returned by this response only'),
  previousValidUntil: z.date().describe('Until when the previous secret keeps signing next to the new one'),
});
