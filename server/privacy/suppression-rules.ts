/**
 * Matching one event against a workspace's suppressions: by user ID, anonymous ID, or an
 * e-mail in `traits.email`, `context.traits.email` or `properties.email` (compared
 * lower-case). The payload is parsed only when the workspace suppresses e-mails.
 */
export interface TSuppressionRules {
  userIds: ReadonlySet<string>;
  anonymousIds: ReadonlySet<string>;
  emails: ReadonlySet<string>;
}

export const EMPTY_SUPPRESSION_RULES: TSuppressionRules = { userIds: new Set(), anonymousIds: new Set(), emails: new Set() };

type TObject = Record<string, unknown>;
const objectAt = (value: unknown, key: string): TObject | null => {
  const inner = value && typeof value === 'object' ? (value as TObject)[key] : undefined;
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as TObject) : null;
};

/** The e-mail addresses an event carries, lower-case (where the identity search looks too). */
export function emailsOf(payload: unknown): string[] {
  const found: string[] = [];
  for (const holder of [objectAt(payload, 'traits'), objectAt(objectAt(payload, 'context'), 'traits'), objectAt(payload, 'properties')]) {
    const email = holder?.email;
    if (typeof email === 'string' && email) found.push(email.trim().toLowerCase());
  }
  return found;
}

/** Which rule matched, or null: `user_id`, `anonymous_id` or `email` (never the value itself). */
export function suppressedBy(rules: TSuppressionRules, event: { userId: string | null; anonymousId: string | null; json: string }): 'user_id' | 'anonymous_id' | 'email' | null {
  if (event.userId !== null && rules.userIds.has(event.userId)) return 'user_id';
  if (event.anonymousId !== null && rules.anonymousIds.has(event.anonymousId)) return 'anonymous_id';
  if (rules.emails.size > 0 && emailsOf(JSON.parse(event.json)).some((email) => rules.emails.has(email))) return 'email';
  return null;
}
