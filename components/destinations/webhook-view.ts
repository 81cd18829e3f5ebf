/** A webhook destination's settings as the API shows them (other types show their own fields). */
import type { TDestination } from '../trpc/types.ts';

export interface TWebhookView {
  url: string;
  /** Header name → masked value. */
  headers: Record<string, string>;
  signingSecretHint: string;
}

export function webhookSettingsOf(destination: TDestination): TWebhookView {
  const settings = destination.settings as Partial<TWebhookView>;
  return { url: settings.url ?? destination.endpoint, headers: settings.headers ?? {}, signingSecretHint: settings.signingSecretHint ?? '' };
}
