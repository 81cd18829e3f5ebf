/** Webhook settings: splitting input into stored settings and encrypted secrets, and back to a masked view. */
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { mask } from '../crypto/secret-box.ts';
import {
  generateSigningSecret,
  type TWebhookSecrets,
  type TWebhookSettings,
  ZWebhookSettingsInput,
} from './catalog.ts';

export const ZWebhookSettingsView = z.object({
  url: z.string(),
  /** Header name → masked value. */
  headers: z.record(z.string(), z.string()),
  signingSecretHint: z.string(),
});

export type TWebhookSettingsView = z.infer<typeof ZWebhookSettingsView>;

export function parseWebhookSettings(input: unknown): z.infer<typeof ZWebhookSettingsInput> {
  const result = ZWebhookSettingsInput.safeParse(input);
  if (!result.success) {
    const issues: Record<string, string> = {};
    for (const issue of result.error.issues) issues[['settings', ...issue.path].join('.')] = issue.message;
    throw new AppError('BAD_REQUEST', `Invalid webhook settings: ${Object.entries(issues).map(([k, v]) => `${k} ${v}`).join('; ')}`, { issues });
  }
  return result.data;
}

/**
 * Builds what to store from (partial) input. With `previous`, omitted fields keep their
 * stored values and a header whose value is null keeps its stored value.
 */
export function buildWebhookConfig(
  input: unknown,
  previous?: { settings: TWebhookSettings; secrets: TWebhookSecrets },
): { settings: TWebhookSettings; secrets: TWebhookSecrets } {
  const parsed = previous ? parseWebhookSettings({ url: previous.settings.url, ...(input as object) }) : parseWebhookSettings(input);
  const headers: Record<string, string> = {};
  const source = parsed.headers ?? (previous ? Object.fromEntries(Object.keys(previous.secrets.headers).map((name) => [name, null])) : {});
  for (const [name, value] of Object.entries(source)) {
    if (value !== null) headers[name] = value;
    else if (previous && name in previous.secrets.headers) headers[name] = previous.secrets.headers[name];
    else throw new AppError('BAD_REQUEST', `settings.headers.${name} needs a value`, { issues: { [`settings.headers.${name}`]: 'needs a value' } });
  }
  return {
    settings: { url: parsed.url, headerNames: Object.keys(headers) },
    secrets: { ...previous?.secrets, signingSecret: previous?.secrets.signingSecret ?? generateSigningSecret(), headers },
  };
}

export function viewWebhookSettings(settings: TWebhookSettings, secrets: TWebhookSecrets): TWebhookSettingsView {
  return {
    url: settings.url,
    headers: Object.fromEntries(Object.entries(secrets.headers).map(([name, value]) => [name, mask(value)])),
    signingSecretHint: `whsec_${mask(secrets.signingSecret)}`,
  };
}
