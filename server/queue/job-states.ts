/**
 * The states a job's transitions record (DESIGN.md's state machine), defined once. SQL that
 * names a state takes it from here (`sqlStates`), so a state is never spelled twice.
 *
 * awaiting_scheduling and executing are not recorded: a job is awaiting scheduling while it
 * sits in job_queue un-attempted and executing while a worker holds its lease.
 */
export const JOB_STATES = ['succeeded', 'awaiting_retry', 'discarded', 'archived', 'skipped', 'replayed', 'suppressed'] as const;
export type TJobState = (typeof JOB_STATES)[number];

/**
 * What an attempt (or the worker's decision not to make one) ends in. The other two are
 * written outside the worker: `replayed` on a job a replay or re-send superseded,
 * `suppressed` on a queued job a privacy request cancelled.
 */
export type TOutcomeState = Exclude<TJobState, 'replayed' | 'suppressed'>;

/** Outcomes after which a job leaves the due-work table for good. */
export const ENDED_STATES = ['succeeded', 'discarded', 'archived', 'skipped'] as const satisfies readonly TOutcomeState[];

/** Ended without being delivered: what the pages count as failed, and what a replay may re-send. */
export const FAILED_STATES = ['discarded', 'archived'] as const satisfies readonly TOutcomeState[];

/** States as a SQL list of literals, for `state IN (…)` or a single `state = …` (our constants, never input). */
export function sqlStates(...states: readonly TJobState[]): string {
  return states.map((state) => `'${state}'`).join(', ');
}
