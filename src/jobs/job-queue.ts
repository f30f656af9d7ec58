// The job queue contract that services and job handlers depend on. Two implementations:
// sqlite-job-queue.ts (embedded default) and pg-boss-job-queue.ts; only create-job-queue.ts picks one.

/** What a handler learns about the run it is part of. */
export interface JobRun {
  readonly id: string
  /** 1 for the first run; a retry after a failure or an interrupted run (crash, lost lease) counts up. */
  readonly attempt: number
  /** Aborted when the run is abandoned (stop after the grace period, lost lease, pg-boss expiry). */
  readonly signal: AbortSignal
}

/** Runs one job. Must be idempotent: a run interrupted by a crash is run again. */
export type JobHandler<P> = (payload: P, run: JobRun) => Promise<void>

/** Why a job finally failed, as given to {@link JobQueue.onFailed}. */
export interface JobFailure {
  readonly id: string
  /** The last error's message; for a run lost to a crash, a message saying so. */
  readonly error: string
  /** True when no run was left to retry an interrupted one (the worker died on the last attempt). */
  readonly interrupted: boolean
}

/** Called once a job of a kind has failed for good (after its last attempt or a {@link PermanentJobError}). */
export type JobFailedHook<P> = (payload: P, failure: JobFailure) => Promise<void>

export interface EnqueueOptions {
  /** Caller-chosen id (e.g. the ticket id). Enqueueing an id that exists is a no-op: enqueue is idempotent. */
  id?: string
  /** Runs in all, including the first (default: the queue's, usually 3). */
  maxAttempts?: number
  /** Do not run before this many seconds from now. */
  delaySeconds?: number
}

export type JobOutcome = 'done' | 'failed'

/**
 * A durable queue of jobs run by in-process workers.
 *
 * Guarantees, the same on every implementation (test/contract/job-queue.contract.ts):
 * - a job whose enqueue resolved runs even if the process dies right after;
 * - a handler that throws is retried with exponential backoff until `maxAttempts`, then the job fails
 *   with the last error recorded; a {@link PermanentJobError} fails it at once;
 * - a run interrupted by a crash (or abandoned by {@link JobQueue.stop}) is retried once its lease or
 *   expiry lapses, counting as an attempt; every accepted job ends 'done' or 'failed', never stuck;
 * - the {@link JobQueue.onFailed} hook runs at least once for every job that fails for good, including
 *   one whose last run was lost to a crash, so the ticket it serves can record the cause.
 * Finished jobs are deleted after a retention period.
 */
export interface JobQueue {
  /** Durably records a job; resolves with its id once committed (it runs even if the process dies now). */
  enqueue(kind: string, payload: unknown, options?: EnqueueOptions): Promise<string>
  /** Registers the handler for a kind with `concurrency` parallel runs (default: the queue's `workers`). */
  work<P>(kind: string, handler: JobHandler<P>, options?: { concurrency?: number }): void
  /**
   * Registers the hook for jobs of a kind that failed for good. It runs after the last run and before
   * {@link JobQueue.waitFor} reports 'failed' (except for a run lost to a crash, where it runs from
   * recovery); it should be idempotent. If it throws, the error goes to the queue's `onError`.
   */
  onFailed<P>(kind: string, hook: JobFailedHook<P>): void
  /** Starts the workers registered so far (later `work` calls start at once). Enqueue works before start. */
  start(): Promise<void>
  /** Jobs waiting to run (not running, not finished), including retries waiting for their backoff. Cheap. */
  depth(kind?: string): Promise<number>
  /**
   * Stops taking jobs and waits up to `graceMillis` (default 30 s) for running handlers. Handlers still
   * running then are signalled and abandoned exactly as a crash would leave them: retried after their
   * lease/expiry by the next instance. Pending `waitFor` calls reject.
   */
  stop(options?: { graceMillis?: number }): Promise<void>
  /** Resolves when the job reaches 'done' or 'failed'; rejects with {@link JobWaitTimeoutError} on timeout. */
  waitFor(id: string, timeoutMillis?: number): Promise<JobOutcome>
}

/** Thrown by a handler for a failure no retry can fix (corrupt image, deleted photo): fails the job at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'PermanentJobError'
  }
}

export class JobWaitTimeoutError extends Error {
  constructor(readonly jobId: string, timeoutMillis: number) {
    super(`job ${jobId} did not finish within ${timeoutMillis} ms`)
    this.name = 'JobWaitTimeoutError'
  }
}

/** Options every implementation understands; tests shrink the timings. */
export interface JobQueueOptions {
  /** Default concurrency per kind (config: as many as cores). */
  workers: number
  /** Default runs per job (default 3). */
  maxAttempts?: number
  /** First retry delay; doubles with each attempt (default 5 s; 0 in tests retries at once). */
  retryDelaySeconds?: number
  /** How long finished jobs are kept (default: done 1 h, failed 7 days) before cleanup. */
  keepDoneSeconds?: number
  keepFailedSeconds?: number
  /** Where errors no caller can receive (hook failures, poll errors) are reported (default: console.error). */
  onError?: (error: unknown) => void
}

/** The message recorded for a thrown value (handlers should throw Errors; anything else is stringified). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return String(error)
}

/** Waits until every promise settled or `millis` passed, whichever comes first (stop's grace period). */
export async function settleWithin(promises: Array<Promise<unknown> | undefined>, millis: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([Promise.allSettled(promises), new Promise((resolve) => (timer = setTimeout(resolve, millis)))])
  clearTimeout(timer)
}

export const DEFAULT_MAX_ATTEMPTS = 3
export const DEFAULT_RETRY_DELAY_SECONDS = 5
export const DEFAULT_KEEP_DONE_SECONDS = 60 * 60
export const DEFAULT_KEEP_FAILED_SECONDS = 7 * 24 * 60 * 60
export const DEFAULT_GRACE_MILLIS = 30_000

/**
 * An idle worker loop's pause: resolves after `millis`, or at once when `worker.wake()` is called
 * (a local enqueue or stop), whichever comes first.
 */
export async function idleUntilWoken(worker: { wake?: () => void }, millis: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, millis)
    worker.wake = () => (clearTimeout(timer), resolve())
  })
  worker.wake = undefined
}
