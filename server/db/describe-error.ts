/**
 * One readable line from a database error, for logs and the health probe. Prisma wraps the
 * reason in several lines of call-site context (`Invalid \`prisma.x()\` invocation: …
 * Message: \`the database system is shutting down\``); this keeps only the reason, and never
 * a connection string (it may hold a password).
 */
const MAX_LENGTH = 200;

export function describeDbError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /Message: `([^`]*)`/.exec(message)?.[1];
  const lastLine = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1);
  const reason = quoted ?? lastLine ?? 'unknown error';
  return reason.replace(/postgres(ql)?:\/\/\S+/g, '<database url>').slice(0, MAX_LENGTH);
}
