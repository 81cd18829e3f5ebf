/**
 * The catalog: every destination type, registered by one line each. A new type is a new
 * folder under server/destinations/catalog/ and one line here.
 */
import { z } from 'zod';
import { amplitude } from './amplitude/index.ts';
import { braze } from './braze/index.ts';
import { customerio } from './customerio/index.ts';
import { ga4 } from './ga4/index.ts';
import { hubspot } from './hubspot/index.ts';
import { mixpanel } from './mixpanel/index.ts';
import { posthog } from './posthog/index.ts';
import { rawHttp } from './raw-http/index.ts';
import { slack } from './slack/index.ts';
import type { TAnyDestinationType } from './types.ts';
import { webhook } from './webhook/index.ts';

/** In the catalog's order: partner tools first, then the two generic ones. */
const TYPES: TAnyDestinationType[] = [
  amplitude,
  mixpanel,
  posthog,
  ga4,
  braze,
  customerio,
  hubspot,
  slack,
  webhook,
  rawHttp,
];

export const DESTINATION_TYPE_DEFS: ReadonlyMap<string, TAnyDestinationType> = new Map(TYPES.map((def) => [def.type, def]));

export const DESTINATION_TYPE_NAMES = TYPES.map((def) => def.type) as [string, ...string[]];

export const ZDestinationTypeName = z.enum(DESTINATION_TYPE_NAMES).describe('The destination type, e.g. webhook or amplitude (see GET /destination-types)');

export function destinationType(type: string): TAnyDestinationType | undefined {
  return DESTINATION_TYPE_DEFS.get(type);
}

export function listDestinationTypes(): TAnyDestinationType[] {
  return TYPES;
}
