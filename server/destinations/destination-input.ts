/**
 * What callers send to create or change a destination, and what a create answers (the
 * only time the webhook signing secret is sent whole). Used by the tRPC procedures, and
 * through them by the REST API and its OpenAPI document.
 */
import { z } from 'zod';
import { ZName } from '../lib/names.ts';
import { ZDestinationType, ZWebhookSettingsInput } from './catalog.ts';
import { ZDeliveryTuningInput } from './delivery-tuning.ts';
import { ZDestinationView } from './destinations.ts';

export const ZDestinationId = z.object({ destinationId: z.uuid() });

export const ZDestinationCreate = z.object({
  sourceId: z.uuid(),
  type: ZDestinationType,
  name: ZName,
  settings: ZWebhookSettingsInput,
  enabled: z.boolean().optional(),
  delivery: ZDeliveryTuningInput.optional(),
});

export const ZDestinationUpdate = z.object({
  name: ZName.optional(),
  enabled: z.boolean().optional(),
  settings: ZWebhookSettingsInput.partial().optional(),
  delivery: ZDeliveryTuningInput.optional(),
});

export const ZDestinationCreated = ZDestinationView.extend({
  signingSecret: z.string().describe('The webhook signing secret (whsec_…). Returned by this response only; store it now.'),
});

export const ZSecretRotated = z.object({
  destination: ZDestinationView,
  signingSecret: z.string().describe('The new signing secret, returned by this response only'),
  previousValidUntil: z.date().describe('Until when the previous secret keeps signing next to the new one'),
});
