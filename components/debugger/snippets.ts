/**
 * The "send your first event" examples of the debugger's empty state, built from the
 * install's public base URL (given by the server, never guessed in the browser) and the
 * source's real write key, so what a person copies works as it is.
 */

/** The example event both snippets send. */
export const FIRST_EVENT = { userId: 'user-1', event: 'Signed Up', properties: { plan: 'pro' } } as const;

export const NODE_INSTALL_COMMAND = 'npm install @segment/analytics-node';

/** One shell word in single quotes, for sh/bash/zsh (a quote inside becomes '\''). */
export function singleQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Plain words (like most URLs) stay as they are; anything else is single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : singleQuote(word);
}

/** A curl command that tracks FIRST_EVENT with HTTP Basic auth (the write key as user, no password). */
export function curlCommand({ baseUrl, writeKey }: { baseUrl: string; writeKey: string }): string {
  return [
    `curl -X POST ${shellQuote(`${baseUrl}/v1/track`)}`,
    `  -u ${singleQuote(`${writeKey}:`)}`,
    `  -H ${singleQuote('Content-Type: application/json')}`,
    `  -d ${singleQuote(JSON.stringify(FIRST_EVENT))}`,
  ].join(' \\\n');
}

/** The same event from a Node.js server with Segment's own library, pointed at this install. */
export function nodeSnippet({ baseUrl, writeKey }: { baseUrl: string; writeKey: string }): string {
  const q = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return [
    `import { Analytics } from '@segment/analytics-node';`,
    ``,
    `const analytics = new Analytics({ writeKey: ${q(writeKey)}, host: ${q(baseUrl)} });`,
    ``,
    `analytics.track({`,
    `  userId: ${q(FIRST_EVENT.userId)},`,
    `  event: ${q(FIRST_EVENT.event)},`,
    `  properties: { plan: ${q(FIRST_EVENT.properties.plan)} },`,
    `});`,
    ``,
    `// Sends what is queued before the process exits.`,
    `await analytics.closeAndFlush();`,
  ].join('\n');
}
