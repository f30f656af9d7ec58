import { createHash, randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import PgBoss from 'pg-boss'
import {
  DEFAULT_GRACE_MILLIS, DEFAULT_KEEP_DONE_SECONDS, DEFAULT_KEEP_FAILED_SECONDS, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY_SECONDS,
  JobWaitTimeoutError, PermanentJobError, errorMessage, idleUntilWoken, settleWithin,
  type EnqueueOptions, type JobFailedHook, type JobHandler, type JobOutcome, type JobQueue, type JobQueueOptions,
} from './job-queue.js'

export interface PgBossJobQueueOptions extends JobQueueOptions {
  connectionString: string
  /** pg-boss's own schema (default 'pgboss'); letters, digits and underscores only. */
  schema?: string
  /** How often an idle worker fetches (a local enqueue wakes it at once). Default 500 ms. */
  pollMillis?: number
  /**
   * A run's lease: pg-boss's maintenance fails and retries a run still active this long after it started
   * (or after its last heartbeat); this is how a run lost to a crashed node is taken over. A live run
   * renews it every third of it, so handlers may run longer. Default 300 s.
   */
  expireInSeconds?: number
  /** How often pg-boss expires, archives and deletes jobs (one instance at a time). Default 60 s. */
  maintenanceIntervalSeconds?: number
  /** Connection pool size for pg-boss. Default 4. */
  poolSize?: number
}

/** What a job carries in pg-boss: the caller's id survives into the dead-letter copy. */
interface Envelope { id: string; payload: unknown }
interface Running {
  readonly controller: AbortController
  abandoned: boolean
  /** The handler has returned or thrown: only bookkeeping (complete/fail, onFailed hook) is left. */
  settled: boolean
  done?: Promise<void>
  expiry?: NodeJS.Timeout
  heartbeat?: NodeJS.Timeout
}
interface Kind { readonly queue: string; readonly run: (job: PgBoss.JobWithMetadata<Envelope>, r: Running) => Promise<void>; readonly concurrency: number; active: number; wake?: () => void; loop?: Promise<void> }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** pg-boss ids are UUIDs: other caller ids map to a name-based UUID, so the same id maps the same way. */
export function jobUuid(id: string): string {
  if (UUID.test(id)) return id.toLowerCase()
  const hex = createHash('sha1').update(`retake-job:${id}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** Failed jobs are copied by pg-boss into this dead-letter queue, whose worker runs the onFailed hook. */
const deadLetterQueue = (kind: string) => `${kind}__failed`

/**
 * The PostgreSQL queue on pg-boss 10. Workers are our own fetch loops (not boss.work) so that stop can
 * wait for handlers, handlers get an AbortSignal, and complete/fail are awaited. A run lost to a crash
 * stays 'active' until `expireInSeconds`, then pg-boss's maintenance retries it (or fails it and, through
 * the dead-letter queue, the onFailed hook still runs).
 */
export class PgBossJobQueue implements JobQueue {
  readonly #boss: PgBoss
  readonly #options: Required<Omit<PgBossJobQueueOptions, 'schema'>> & { schema: string }
  readonly #kinds = new Map<string, Kind>()
  readonly #hooks = new Map<string, JobFailedHook<unknown>>()
  readonly #queues = new Map<string, Promise<void>>()
  readonly #running = new Set<Running>()
  #ready: Promise<unknown> | undefined
  #started = false
  #stopping = false

  constructor(options: PgBossJobQueueOptions) {
    this.#options = {
      maxAttempts: DEFAULT_MAX_ATTEMPTS, retryDelaySeconds: DEFAULT_RETRY_DELAY_SECONDS,
      keepDoneSeconds: DEFAULT_KEEP_DONE_SECONDS, keepFailedSeconds: DEFAULT_KEEP_FAILED_SECONDS,
      onError: (error) => console.error('job queue:', error),
      schema: 'pgboss', pollMillis: 500, expireInSeconds: 300, maintenanceIntervalSeconds: 60, poolSize: 4,
      ...options,
    }
    const o = this.#options
    this.#boss = new PgBoss({
      connectionString: o.connectionString, schema: o.schema, max: o.poolSize,
      schedule: false, supervise: true, migrate: true, maintenanceIntervalSeconds: o.maintenanceIntervalSeconds,
      archiveCompletedAfterSeconds: o.keepDoneSeconds, archiveFailedAfterSeconds: o.keepFailedSeconds,
      deleteAfterSeconds: o.keepDoneSeconds,
    })
    this.#boss.on('error', (error) => o.onError(error))
  }

  async enqueue(kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    const id = options.id ?? randomUUID()
    const maxAttempts = options.maxAttempts ?? this.#options.maxAttempts
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be an integer >= 1')
    await this.#queue(kind)
    const data: Envelope = { id, payload: payload ?? null }
    // An existing id makes pg-boss insert nothing (ON CONFLICT DO NOTHING): enqueue stays idempotent.
    await this.#boss.send(kind, data, {
      id: jobUuid(id), retryLimit: maxAttempts - 1, retryDelay: this.#options.retryDelaySeconds,
      // pg-boss raises the delay of a backoff to at least 1 s, so a zero delay (tests) means no backoff.
      retryBackoff: this.#options.retryDelaySeconds > 0,
      expireInSeconds: this.#options.expireInSeconds, deadLetter: deadLetterQueue(kind),
      ...(options.delaySeconds ? { startAfter: Math.ceil(options.delaySeconds) } : {}),
    })
    this.#kinds.get(kind)?.wake?.()
    return id
  }

  work<P>(kind: string, handler: JobHandler<P>, options: { concurrency?: number } = {}): void {
    if (kind.endsWith('__failed')) throw new Error(`job kind ${kind}: the __failed suffix is reserved`)
    if (this.#kinds.has(kind)) throw new Error(`a handler for job kind ${kind} is already registered`)
    const concurrency = Math.max(1, options.concurrency ?? this.#options.workers)
    this.#addKind(kind, { queue: kind, concurrency, active: 0, run: (job, r) => this.#run(kind, handler as JobHandler<unknown>, job, r) })
    this.#addKind(deadLetterQueue(kind), { queue: deadLetterQueue(kind), concurrency: 1, active: 0, run: (job, r) => this.#runDeadLetter(kind, job, r) })
  }

  onFailed<P>(kind: string, hook: JobFailedHook<P>): void {
    this.#hooks.set(kind, hook as JobFailedHook<unknown>)
  }

  async start(): Promise<void> {
    if (this.#started) return
    await this.#connect()
    this.#started = true
    for (const [name, kind] of this.#kinds) if (!kind.loop) kind.loop = this.#loop(name, kind)
  }

  async depth(kind?: string): Promise<number> {
    await this.#connect()
    if (kind !== undefined) return this.#boss.getQueueSize(kind)
    const { rows } = await this.#boss.getDb().executeSql(
      `SELECT count(*)::int AS n FROM ${this.#options.schema}.job WHERE state < 'active' AND name NOT LIKE '%\\_\\_failed'`, [])
    return Number(rows[0]?.n ?? 0)
  }

  async stop(options: { graceMillis?: number } = {}): Promise<void> {
    if (this.#stopping) return
    this.#stopping = true
    for (const kind of this.#kinds.values()) kind.wake?.()
    await Promise.all([...this.#kinds.values()].map((kind) => kind.loop))
    await settleWithin([...this.#running].map((run) => run.done), options.graceMillis ?? DEFAULT_GRACE_MILLIS)
    // Handlers still running are left 'active' as a crash would leave them: pg-boss retries them once
    // they expire. Runs already in bookkeeping finish it before the pool closes.
    const bookkeeping: Array<Promise<void> | undefined> = []
    for (const run of this.#running) {
      if (run.settled) {
        bookkeeping.push(run.done)
        continue
      }
      run.abandoned = true
      clearTimeout(run.expiry)
      // No more renewals: the lease lapses and another node (or the next start) takes the run over.
      clearInterval(run.heartbeat)
      run.controller.abort(new Error('job queue stopped'))
    }
    await Promise.allSettled(bookkeeping)
    // A stop racing a start must wait for it: pg-boss would otherwise start supervising after the stop.
    if (this.#ready && (await this.#ready.then(() => true, () => false))) await this.#boss.stop({ graceful: false, close: true, wait: true })
  }

  async waitFor(id: string, timeoutMillis = 60_000): Promise<JobOutcome> {
    await this.#connect()
    const schema = this.#options.schema
    const deadline = Date.now() + timeoutMillis
    for (;;) {
      if (this.#stopping) throw new Error('job queue stopped')
      const { rows } = await this.#boss.getDb().executeSql(
        `SELECT state FROM ${schema}.job WHERE id = $1 UNION ALL SELECT state FROM ${schema}.archive WHERE id = $1 LIMIT 1`, [jobUuid(id)])
      const state = rows[0]?.state as string | undefined
      if (state === undefined) throw new Error(`unknown job ${id}`)
      if (state === 'completed') return 'done'
      if (state === 'failed' || state === 'cancelled') return 'failed'
      const left = deadline - Date.now()
      if (left <= 0) throw new JobWaitTimeoutError(id, timeoutMillis)
      await delay(Math.min(left, 100))
    }
  }

  #connect(): Promise<unknown> {
    if (this.#stopping) return Promise.reject(new Error('job queue stopped'))
    this.#ready ??= this.#boss.start()
    return this.#ready
  }

  /** pg-boss 10 needs a queue (a table partition) before send or fetch; its dead-letter queue comes first. */
  #queue(kind: string): Promise<void> {
    let created = this.#queues.get(kind)
    if (!created) {
      created = (async () => {
        await this.#connect()
        await this.#boss.createQueue(deadLetterQueue(kind))
        await this.#boss.createQueue(kind, { name: kind, deadLetter: deadLetterQueue(kind) })
      })()
      created.catch(() => this.#queues.delete(kind))
      this.#queues.set(kind, created)
    }
    return created
  }

  #addKind(name: string, kind: Kind): void {
    this.#kinds.set(name, kind)
    if (this.#started && !this.#stopping) kind.loop = this.#loop(name, kind)
  }

  async #loop(name: string, kind: Kind): Promise<void> {
    try {
      await this.#queue(name.endsWith('__failed') ? name.slice(0, -'__failed'.length) : name)
    } catch (error) {
      this.#options.onError(error)
    }
    while (!this.#stopping) {
      const jobs = kind.active < kind.concurrency
        ? await this.#boss.fetch<Envelope>(kind.queue, { batchSize: 1, includeMetadata: true }).catch((error: unknown) => (this.#options.onError(error), []))
        : []
      const job = jobs[0]
      if (!job) {
        await idleUntilWoken(kind, this.#options.pollMillis)
        continue
      }
      const run: Running = { controller: new AbortController(), abandoned: false, settled: false }
      this.#running.add(run)
      kind.active++
      run.done = kind.run(job, run).catch((error: unknown) => this.#options.onError(error)).finally(() => {
        this.#running.delete(run)
        kind.active--
        kind.wake?.()
      })
    }
  }

  async #run(kind: string, handler: JobHandler<unknown>, job: PgBoss.JobWithMetadata<Envelope>, run: Running): Promise<void> {
    const { id, payload } = job.data
    this.#keepAlive(kind, job.id, run)
    let failure: { error: unknown } | undefined
    try {
      await handler(payload, { id, attempt: job.retryCount + 1, signal: run.controller.signal })
    } catch (error) {
      failure = { error }
    } finally {
      run.settled = true
      clearTimeout(run.expiry)
      clearInterval(run.heartbeat)
    }
    if (run.abandoned) return
    if (!failure) {
      await this.#boss.complete(kind, job.id)
      return
    }
    const message = errorMessage(failure.error)
    const permanent = failure.error instanceof PermanentJobError
    if (!permanent && job.retryCount < job.retryLimit) {
      await this.#boss.fail(kind, job.id, { message })
      return
    }
    // Final: run the hook before marking it failed (so waitFor sees 'failed' after it); `hooked` tells
    // the dead-letter worker not to run it again.
    await this.#callHook(kind, payload, { id, error: message, interrupted: false })
    if (permanent) {
      await this.#boss.getDb().executeSql(
        `UPDATE ${this.#options.schema}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active'`, [kind, job.id])
    }
    await this.#boss.fail(kind, job.id, { message, hooked: true })
  }

  /**
   * pg-boss 10 has no heartbeat: a run is expired `expireIn` after `started_on`. Moving `started_on`
   * forward every third of the expiry turns that into a lease a live node renews and a dead one lets
   * lapse. A renewal that finds the run no longer active (expired, taken over) abandons it.
   */
  #keepAlive(kind: string, jobId: string, run: Running): void {
    const expireMillis = this.#options.expireInSeconds * 1000
    // Without a renewal in time pg-boss retries the run elsewhere: stop this one writing.
    const arm = () => {
      clearTimeout(run.expiry)
      run.expiry = setTimeout(() => this.#abandon(run, 'job run expired'), expireMillis)
    }
    arm()
    run.heartbeat = setInterval(() => {
      this.#boss.getDb().executeSql(
        `UPDATE ${this.#options.schema}.job SET started_on = now() WHERE name = $1 AND id = $2 AND state = 'active' RETURNING id`, [kind, jobId])
        .then((result) => {
          if (run.settled) return
          if (result.rows.length === 0) this.#abandon(run, 'job run lost its lease')
          else arm()
        }, (error: unknown) => this.#options.onError(error))
    }, Math.max(200, expireMillis / 3))
  }

  #abandon(run: Running, reason: string): void {
    if (run.settled) return
    run.abandoned = true
    clearInterval(run.heartbeat)
    run.controller.abort(new Error(reason))
  }

  async #runDeadLetter(kind: string, job: PgBoss.JobWithMetadata<Envelope>, run: Running): Promise<void> {
    const output = job.output as { hooked?: boolean } | null
    if (!output?.hooked) {
      // Failed by pg-boss itself: its last run outlived expireInSeconds (a crash, or stop abandoned it).
      const error = 'interrupted during the last attempt (the worker stopped, or the run outlived its expiry)'
      await this.#callHook(kind, job.data.payload, { id: job.data.id, error, interrupted: true })
    }
    if (!run.abandoned) await this.#boss.complete(deadLetterQueue(kind), job.id)
  }

  async #callHook(kind: string, payload: unknown, failure: Parameters<JobFailedHook<unknown>>[1]): Promise<void> {
    try {
      await this.#hooks.get(kind)?.(payload, failure)
    } catch (error) {
      this.#options.onError(error)
    }
  }
}
