/**
 * Save-time refusal of destination endpoints the sender would refuse: the same AddressGuard
 * the delivery worker connects through (server/lib/address-guard.ts), asked before settings
 * are stored, so a destination cannot be pointed at a private, loopback, link-local or
 * metadata address (by IP or by a name that resolves to one) unless
 * SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS allows it. Which URL a type sends to is its
 * storage's `endpointOf` (the webhook's `url`, a partner's `endpoint`).
 */
import { env } from '../env.ts';
import { AppError } from '../errors/app-error.ts';
import { AddressGuard } from '../lib/address-guard.ts';
import type { TAnyDestinationType } from './catalog/types.ts';

const guards = new Map<string, AddressGuard>();

function guardFor(allowPrivate: string | undefined): AddressGuard {
  const key = allowPrivate ?? '';
  let guard = guards.get(key);
  if (!guard) {
    guard = new AddressGuard(allowPrivate);
    guards.set(key, guard);
  }
  return guard;
}

/** Throws BAD_REQUEST on `settings.<field>` when deliveries to `url` would be refused as a blocked address. */
export async function assertDeliverableUrl(url: string, allowPrivate: string | undefined = env().SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS, field = 'url'): Promise<void> {
  const refusal = await guardFor(allowPrivate).checkUrl(url);
  if (!refusal) return;
  const message = `${refusal}. Use a public address; an operator can allow private ones with SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS.`;
  throw new AppError('BAD_REQUEST', `settings.${field}: ${message}`, { issues: { [`settings.${field}`]: message } });
}

/** The check for a type's stored settings: its endpoint, reported on the field that holds it. */
export async function assertDeliverableEndpoint(def: TAnyDestinationType, settings: Record<string, unknown>, allowPrivate?: string): Promise<void> {
  const endpoint = def.storage.endpointOf(settings);
  if (!endpoint) return;
  const field = Object.entries(settings).find(([, value]) => value === endpoint)?.[0] ?? 'url';
  await assertDeliverableUrl(endpoint, allowPrivate ?? env().SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS, field);
}
