/** How privacy requests are put into words on screen (types, statuses, what will happen). */
import type { TRegulationType, TSubjectType } from '../trpc/types.ts';

export const TYPE_LABELS: Record<TRegulationType, string> = {
  SUPPRESS_WITH_DELETE: 'Suppress and delete',
  DELETE_ONLY: 'Delete only',
  DELETE_INTERNAL: 'Delete from Switchyard only',
  SUPPRESS_ONLY: 'Suppress only',
  UNSUPPRESS: 'Lift suppression',
};

export const SUBJECT_LABELS: Record<TSubjectType, string> = { EMAIL: 'E-mail', USER_ID: 'User ID', ANONYMOUS_ID: 'Anonymous ID' };

const plural = (n: number, what: string) => `${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`;

/** What a request will do, in words, for the confirmation step. */
export function consequences(type: TRegulationType, count: number, subjectType: TSubjectType): string[] {
  const who = plural(count, SUBJECT_LABELS[subjectType].toLowerCase());
  const store = 'Every stored event of theirs is deleted, with its deliveries, attempts and response bodies, and archived copies (on disk and in the S3 bucket) are rewritten without them.';
  const linked = 'Identifiers linked to them (the anonymous IDs an identify tied to the user, alias links, the IDs of events carrying the e-mail) are included.';
  const partners =
    'Each destination is asked to delete them: webhooks receive a signed user.deleted call; Amplitude, Braze, Mixpanel and Customer.io get their own deletion API call (Amplitude needs its secret key and Mixpanel a GDPR API token in the destination’s settings). Destinations without a deletion API show “not supported”.';
  const stop = 'From now on their events are answered normally but not stored or delivered; their queued deliveries are cancelled and replays skip them.';
  switch (type) {
    case 'SUPPRESS_WITH_DELETE':
      return [`This concerns ${who}.`, stop, store, linked, partners, 'Deleted data cannot be restored.'];
    case 'DELETE_ONLY':
      return [`This concerns ${who}.`, store, linked, partners, 'New events from them are still accepted. Deleted data cannot be restored.'];
    case 'DELETE_INTERNAL':
      return [`This concerns ${who}.`, store, linked, 'Destinations are not contacted. Deleted data cannot be restored.'];
    case 'SUPPRESS_ONLY':
      return [`This concerns ${who}.`, stop, 'Events already stored stay.'];
    case 'UNSUPPRESS':
      return [`This concerns ${who}.`, 'Their new events are stored and delivered again. Nothing deleted comes back.'];
  }
}

export const STATUS_INTENT: Record<string, 'neutral' | 'blue' | 'green' | 'orange' | 'red' | 'yellow'> = {
  initialized: 'neutral',
  pending: 'neutral',
  running: 'blue',
  finished: 'green',
  partial_success: 'orange',
  failed: 'red',
  not_supported: 'yellow',
  retrying: 'orange',
};

export const STATUS_LABELS: Record<string, string> = {
  initialized: 'Waiting',
  pending: 'Waiting',
  running: 'Running',
  finished: 'Finished',
  partial_success: 'Partly done',
  failed: 'Failed',
  not_supported: 'Not supported',
  retrying: 'Retrying',
};

const RECEIPT_LABELS: Record<string, string> = {
  events: 'events deleted',
  jobs: 'delivery jobs deleted',
  queuedJobs: 'queued deliveries removed',
  attempts: 'delivery log entries deleted (attempts, responses)',
  dedupeEntries: 'deduplication entries deleted',
  identityRows: 'identity lookup rows deleted',
  violations: 'tracking-plan violations deleted',
  sentRequests: 'recorded partner requests deleted',
  jobPayloadCopies: 'filtered payload copies deleted',
  filesScanned: 'archive files read',
  filesRewritten: 'archive files rewritten',
  filesRemoved: 'archive files removed',
  objectsScanned: 'archived objects read in the bucket',
  objectsRewritten: 'archived objects rewritten in the bucket',
  objectsRemoved: 'archived objects removed from the bucket',
  olderVersionsDeleted: 'earlier object versions deleted (versioned bucket)',
  olderVersionsNotDeleted: 'objects whose earlier versions could not be deleted (the credentials may not list or delete versions)',
  eventsRemoved: 'archived events removed',
  bucket: '',
  linkedIdentifiersSuppressed: 'linked identifiers suppressed',
  queuedJobsCancelled: 'queued deliveries cancelled',
  suppressionsLifted: 'suppressions lifted',
  answer: '',
  callsSucceeded: '',
  call: '',
  statusCode: 'partner answered HTTP',
  latencyMs: 'ms for the answer',
  identifiersSent: 'identifiers sent',
};

const RECEIPT_ORDER = Object.keys(RECEIPT_LABELS);

/** Receipt keys that are bookkeeping, not something a person reads (where a resumed bucket pass goes on). */
const HIDDEN = new Set(['bucketResumeAfter', 'callsTotal']);

/** Receipt lines in a fixed order, e.g. "5 events deleted", then notes ("rollups: counts only…"). */
export function receiptLines(receipt: Record<string, unknown>): string[] {
  const rank = (key: string) => (RECEIPT_ORDER.includes(key) ? RECEIPT_ORDER.indexOf(key) : RECEIPT_ORDER.length);
  return Object.entries(receipt)
    .filter(([key]) => !HIDDEN.has(key))
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]) => {
      if (key === 'answer') return String(value);
      if (key === 'callsSucceeded') return `${String(value)} of ${String(receipt.callsTotal ?? value)} deletion call${receipt.callsTotal === 1 ? '' : 's'} done`;
      if (key === 'call') return `last call: ${String(value)}`;
      if (key === 'bucket') return `bucket: ${String(value)}`;
      if (key === 'errorCode') return `no answer: ${String(value)}`;
      if (key === 'statusCode') return `partner answered HTTP ${String(value)}`;
      if (key === 'latencyMs') return `answered in ${String(value)} ms`;
      if (key === 'rollups') return 'delivery rollups hold counts only: nothing to remove';
      if (typeof value === 'number' && RECEIPT_LABELS[key]) return `${value.toLocaleString('en')} ${RECEIPT_LABELS[key]}`;
      return `${key === 'reason' ? 'why' : key}: ${String(value)}`;
    });
}
