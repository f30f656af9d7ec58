import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, JobsTable } from '../db/tables.js'
import {
  DEFAULT_GRACE_MILLIS, DEFAULT_KEEP_DONE_SECONDS, DEFAULT_KEEP_FAILED_SECONDS, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY_SECONDS,
  JobWaitTimeoutError, PermanentJobError, errorMessage, idleUntilWoken, settleWithin,
  type EnqueueOptions, type JobFailedHook, type JobHandler, type JobOutcome, type JobQueue, type JobQueueOptions,
} from './job-queue.js'

export interface SqliteJobQueueOptions extends JobQueueOptions {
  /** How often an idle worker looks for due jobs (a local enqueue wakes it at once). Default 100 ms. */
  pollMillis?: number
  /** A running job's lease, renewed every third of it; a crashed run is retried once it lapses. Default 30 s. */
  leaseSeconds?: number
  /** How often finished jobs past their retention are deleted. Default 60 s. */
  cleanupIntervalMillis?: number
}

interface Kind {
  readonly name: string
  readonly handler: JobHandler<unknown>
  readonly concurrency: number
  active: number
  wake?: () => void
  loop?: Promise<void>
}

interface Running {
  readonly id: string
  /** The attempts count this claim set: it doubles as the claim token, since any re-claim bumps it. */
  readonly attempt: number
  readonly controller: AbortController
  abandoned: boolean
  /** The handler has returned or thrown: only bookkeeping (state update, onFailed hook) is left. */
  settled: boolean
  done?: Promise<void>
}

type Claimed = Pick<JobsTable, 'id' | 'payload' | 'attempts' | 'maxAttempts' | 'lastError'>

const nowSeconds = () => Math.floor(Date.now() / 1000)
const MAX_RETRY_DELAY_SECONDS = 60 * 60

/**
 * The embedded default: jobs are rows of the `jobs` table, claimed with one atomic UPDATE … RETURNING and
 * held by a lease that a heartbeat renews. A claim also takes 'running' rows whose lease lapsed, so jobs
 * of a crashed process are retried by whichever instance polls next. Statements stay short because on
 * SQLite every query shares one connection.
 */
export class SqliteJobQueue implements JobQueue {
  readonly #db: Kysely<Database>
  readonly #options: Required<SqliteJobQueueOptions>
  readonly #kinds = new Map<string, Kind>()
  readonly #hooks = new Map<string, JobFailedHook<unknown>>()
  readonly #running = new Map<string, Running>()
  /** Resolvers of waitFor sleeps, called whenever a local job finishes or the queue stops. */
  readonly #listeners = new Set<() => void>()
  #started = false
  #stopping = false
  #timers: NodeJS.Timeout[] = []

  constructor(db: Kysely<Database>, options: SqliteJobQueueOptions) {
    this.#db = db
    this.#options = {
      maxAttempts: DEFAULT_MAX_ATTEMPTS, retryDelaySeconds: DEFAULT_RETRY_DELAY_SECONDS,
      keepDoneSeconds: DEFAULT_KEEP_DONE_SECONDS, keepFailedSeconds: DEFAULT_KEEP_FAILED_SECONDS,
      onError: (error) => console.error('job queue:', error),
      pollMillis: 100, leaseSeconds: 30, cleanupIntervalMillis: 60_000,
      ...options,
    }
  }

  async enqueue(kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    const id = options.id ?? randomUUID()
    const maxAttempts = options.maxAttempts ?? this.#options.maxAttempts
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be an integer >= 1')
    const now = nowSeconds()
    await this.#db
      .insertInto('jobs')
      .values({
        id, kind, payload: JSON.stringify(payload ?? null), state: 'queued', attempts: 0, maxAttempts,
        runAt: now + Math.max(0, Math.ceil(options.delaySeconds ?? 0)), lockedUntil: null, lastError: null,
        createdAt: now, updatedAt: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    this.#kinds.get(kind)?.wake?.()
    return id
  }

  work<P>(kind: string, handler: JobHandler<P>, options: { concurrency?: number } = {}): void {
    if (this.#kinds.has(kind)) throw new Error(`a handler for job kind ${kind} is already registered`)
    const concurrency = Math.max(1, options.concurrency ?? this.#options.workers)
    const entry: Kind = { name: kind, handler: handler as JobHandler<unknown>, concurrency, active: 0 }
    this.#kinds.set(kind, entry)
    if (this.#started && !this.#stopping) entry.loop = this.#loop(entry)
  }

  onFailed<P>(kind: string, hook: JobFailedHook<P>): void {
    this.#hooks.set(kind, hook as JobFailedHook<unknown>)
  }

  async start(): Promise<void> {
    if (this.#started) return
    this.#started = true
    const heartbeatMillis = Math.max(50, (this.#options.leaseSeconds * 1000) / 3)
    this.#timers.push(setInterval(() => void this.#heartbeat(), heartbeatMillis))
    this.#timers.push(setInterval(() => void this.#cleanup(), this.#options.cleanupIntervalMillis))
    await this.#cleanup()
    for (const kind of this.#kinds.values()) kind.loop = this.#loop(kind)
  }

  async depth(kind?: string): Promise<number> {
    let query = this.#db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'queued')
    if (kind !== undefined) query = query.where('kind', '=', kind)
    return Number((await query.executeTakeFirstOrThrow()).n)
  }

  async stop(options: { graceMillis?: number } = {}): Promise<void> {
    if (this.#stopping) return
    this.#stopping = true
    for (const kind of this.#kinds.values()) kind.wake?.()
    await Promise.all([...this.#kinds.values()].map((kind) => kind.loop))
    await settleWithin([...this.#running.values()].map((run) => run.done), options.graceMillis ?? DEFAULT_GRACE_MILLIS)
    for (const timer of this.#timers) clearInterval(timer)
    // Handlers still running are left as a crash would leave them: the row stays 'running' and its lease
    // lapses, so the next instance retries it. Runs already in bookkeeping finish it before the db closes.
    const bookkeeping: Array<Promise<void> | undefined> = []
    for (const run of this.#running.values()) {
      if (run.settled) {
        bookkeeping.push(run.done)
        continue
      }
      run.abandoned = true
      run.controller.abort(new Error('job queue stopped'))
    }
    await Promise.allSettled(bookkeeping)
    this.#notify()
  }

  async waitFor(id: string, timeoutMillis = 60_000): Promise<JobOutcome> {
    const deadline = Date.now() + timeoutMillis
    for (;;) {
      if (this.#stopping) throw new Error('job queue stopped')
      const row = await this.#db.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirst()
      if (!row) throw new Error(`unknown job ${id}`)
      if (row.state === 'done' || row.state === 'failed') return row.state
      const left = deadline - Date.now()
      if (left <= 0) throw new JobWaitTimeoutError(id, timeoutMillis)
      await this.#changedOrAfter(Math.min(left, this.#options.pollMillis))
    }
  }

  async #loop(kind: Kind): Promise<void> {
    while (!this.#stopping) {
      let job: Claimed | undefined
      if (kind.active < kind.concurrency) {
        try {
          job = await this.#claim(kind.name)
        } catch (error) {
          this.#options.onError(error)
        }
      }
      if (!job) {
        await idleUntilWoken(kind, this.#options.pollMillis)
        continue
      }
      const run: Running = { id: job.id, attempt: job.attempts, controller: new AbortController(), abandoned: false, settled: false }
      this.#running.set(job.id, run)
      kind.active++
      run.done = this.#run(kind, job, run).finally(() => {
        this.#running.delete(run.id)
        kind.active--
        kind.wake?.()
      })
    }
  }

  #claim(kind: string): Promise<Claimed | undefined> {
    const now = nowSeconds()
    return this.#db
      .updateTable('jobs')
      .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), lockedUntil: now + this.#options.leaseSeconds, updatedAt: now }))
      .where('id', '=', (eb) =>
        eb.selectFrom('jobs').select('id').where('kind', '=', kind)
          .where((w) => w.or([
            w.and([w('state', '=', 'queued'), w('runAt', '<=', now)]),
            w.and([w('state', '=', 'running'), w('lockedUntil', '<', now)]),
          ]))
          .orderBy('runAt').orderBy('createdAt').limit(1))
      .returning(['id', 'payload', 'attempts', 'maxAttempts', 'lastError'])
      .executeTakeFirst()
  }

  async #run(kind: Kind, job: Claimed, run: Running): Promise<void> {
    try {
      const payload: unknown = JSON.parse(job.payload)
      if (run.attempt > job.maxAttempts) {
        run.settled = true
        // Its last run was lost (crash, lost lease): nothing left to retry, so fail it with what we know.
        const error = `interrupted during attempt ${job.maxAttempts} (the worker stopped or lost its lease)` +
          (job.lastError ? `; last error: ${job.lastError}` : '')
        await this.#fail(kind.name, payload, run, error, true)
        return
      }
      let failure: { error: unknown } | undefined
      try {
        await kind.handler(payload, { id: run.id, attempt: run.attempt, signal: run.controller.signal })
      } catch (error) {
        failure = { error }
      } finally {
        run.settled = true
      }
      if (run.abandoned) return
      if (!failure) {
        await this.#update(run, { state: 'done', lockedUntil: null })
      } else if (failure.error instanceof PermanentJobError || run.attempt >= job.maxAttempts) {
        await this.#fail(kind.name, payload, run, errorMessage(failure.error), false)
      } else {
        const wait = Math.min(MAX_RETRY_DELAY_SECONDS, this.#options.retryDelaySeconds * 2 ** (run.attempt - 1))
        await this.#update(run, { state: 'queued', runAt: nowSeconds() + wait, lockedUntil: null, lastError: errorMessage(failure.error) })
      }
    } catch (error) {
      this.#options.onError(error)
    } finally {
      this.#notify()
    }
  }

  async #fail(kind: string, payload: unknown, run: Running, error: string, interrupted: boolean): Promise<void> {
    // Record the cause and use up the attempts before the hook, so a crash during it leads straight back here.
    await this.#update(run, { lastError: error, maxAttempts: run.attempt - (interrupted ? 1 : 0) })
    const hook = this.#hooks.get(kind)
    try {
      await hook?.(payload, { id: run.id, error, interrupted })
    } catch (hookError) {
      this.#options.onError(hookError)
    }
    if (!run.abandoned) await this.#update(run, { state: 'failed', lockedUntil: null })
  }

  /** Updates the job only while this claim still holds it (same attempt, still running). */
  async #update(run: Running, values: Partial<Omit<JobsTable, 'id'>>): Promise<boolean> {
    const result = await this.#db
      .updateTable('jobs')
      .set({ ...values, updatedAt: nowSeconds() })
      .where('id', '=', run.id).where('attempts', '=', run.attempt).where('state', '=', 'running')
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async #heartbeat(): Promise<void> {
    for (const run of this.#running.values()) {
      if (run.abandoned) continue
      try {
        const held = await this.#update(run, { lockedUntil: nowSeconds() + this.#options.leaseSeconds })
        if (!held) {
          // Another instance took it over (our lease lapsed, e.g. a stalled event loop): stop writing to it.
          run.abandoned = true
          run.controller.abort(new Error('job lease lost'))
        }
      } catch (error) {
        this.#options.onError(error)
      }
    }
  }

  async #cleanup(): Promise<void> {
    const now = nowSeconds()
    try {
      await this.#db
        .deleteFrom('jobs')
        .where((w) => w.or([
          w.and([w('state', '=', 'done'), w('updatedAt', '<', now - this.#options.keepDoneSeconds)]),
          w.and([w('state', '=', 'failed'), w('updatedAt', '<', now - this.#options.keepFailedSeconds)]),
        ]))
        .execute()
    } catch (error) {
      this.#options.onError(error)
    }
  }

  #changedOrAfter(millis: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => (clearTimeout(timer), this.#listeners.delete(done), resolve())
      const timer = setTimeout(done, millis)
      this.#listeners.add(done)
    })
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener()
  }
}
