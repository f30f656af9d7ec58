import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { waitFor } from '../helpers/poll.js'
import { JobWaitTimeoutError, PermanentJobError, type JobFailure, type JobQueue } from '../../src/jobs/job-queue.js'

// The behaviour every JobQueue must show (tus-node-server's stores.ts idea). Each implementation's test
// file calls runJobQueueContract with short timings (poll, lease/expiry, retry delay 0).

export interface JobQueueUnderTest {
  /** A queue on fresh, empty storage, not started. */
  queue: JobQueue
  /** Another instance on the same storage, as a new process after a restart would open it. */
  restart(): Promise<JobQueue>
  /** Drops the storage; called after every queue was stopped. */
  cleanup(): Promise<void>
}

const never = () => new Promise<void>(() => {})

export function runJobQueueContract(name: string, makeQueue: () => Promise<JobQueueUnderTest>): void {
  /** A fresh queue and a restart function; every instance is stopped and the storage dropped after the test. */
  async function setup(t: TestContext): Promise<{ queue: JobQueue; restart: () => Promise<JobQueue> }> {
    const underTest = await makeQueue()
    const queues = [underTest.queue]
    t.after(async () => {
      while (queues.length > 0) await queues.pop()!.stop({ graceMillis: 0 })
      await underTest.cleanup()
    })
    const restart = async () => {
      const queue = await underTest.restart()
      queues.push(queue)
      return queue
    }
    return { queue: underTest.queue, restart }
  }

  describe(`JobQueue contract: ${name}`, () => {
    test('an enqueued job runs once with its payload, id and attempt 1', async (t) => {
      const { queue } = await setup(t)
      const runs: unknown[] = []
      queue.work<{ photoId: string }>('render', async (payload, run) => {
        runs.push({ payload, id: run.id, attempt: run.attempt, aborted: run.signal.aborted })
      })
      await queue.start()
      const id = await queue.enqueue('render', { photoId: 'p1' })
      assert.equal(await queue.waitFor(id), 'done')
      await delay(200)
      assert.deepEqual(runs, [{ payload: { photoId: 'p1' }, id, attempt: 1, aborted: false }])
    })

    test('a caller-chosen id is kept, and enqueueing it again is a no-op', async (t) => {
      const { queue } = await setup(t)
      const ids: string[] = []
      queue.work('render', async (_payload, run) => void ids.push(run.id))
      await queue.start()
      assert.equal(await queue.enqueue('render', { n: 1 }, { id: 'ticket-42' }), 'ticket-42')
      assert.equal(await queue.waitFor('ticket-42'), 'done')
      assert.equal(await queue.enqueue('render', { n: 2 }, { id: 'ticket-42' }), 'ticket-42')
      await delay(300)
      assert.deepEqual(ids, ['ticket-42'])
    })

    test('concurrency is honoured: never more than 2 handlers at once, and 2 are used', async (t) => {
      const { queue } = await setup(t)
      let running = 0
      let most = 0
      queue.work('slow', async () => {
        most = Math.max(most, ++running)
        await delay(100)
        running--
      }, { concurrency: 2 })
      await queue.start()
      const ids = await Promise.all(Array.from({ length: 6 }, (_, n) => queue.enqueue('slow', { n })))
      for (const id of ids) assert.equal(await queue.waitFor(id), 'done')
      assert.equal(most, 2)
    })

    test('a throwing handler is retried, then the job fails with its last error and onFailed runs once', async (t) => {
      const { queue } = await setup(t)
      const attempts: number[] = []
      const failures: Array<[unknown, JobFailure]> = []
      queue.work('flaky', async (_payload, run) => {
        attempts.push(run.attempt)
        throw new Error(`boom ${run.attempt}`)
      })
      queue.onFailed('flaky', async (payload, failure) => void failures.push([payload, failure]))
      await queue.start()
      const id = await queue.enqueue('flaky', { photoId: 'p2' }, { maxAttempts: 3 })
      assert.equal(await queue.waitFor(id), 'failed')
      assert.deepEqual(attempts, [1, 2, 3])
      await delay(200)
      assert.deepEqual(failures, [[{ photoId: 'p2' }, { id, error: 'boom 3', interrupted: false }]])
    })

    test('a handler that fails once and then succeeds ends done, without onFailed', async (t) => {
      const { queue } = await setup(t)
      const attempts: number[] = []
      let failed = 0
      queue.work('flaky', async (_payload, run) => {
        attempts.push(run.attempt)
        if (run.attempt === 1) throw new Error('transient')
      })
      queue.onFailed('flaky', async () => void failed++)
      await queue.start()
      const id = await queue.enqueue('flaky', {})
      assert.equal(await queue.waitFor(id), 'done')
      assert.deepEqual(attempts, [1, 2])
      assert.equal(failed, 0)
    })

    test('a PermanentJobError fails the job at once, without retry', async (t) => {
      const { queue } = await setup(t)
      let calls = 0
      const failures: JobFailure[] = []
      queue.work('decode', async () => {
        calls++
        throw new PermanentJobError('not an image')
      })
      queue.onFailed('decode', async (_payload, failure) => void failures.push(failure))
      await queue.start()
      const id = await queue.enqueue('decode', {}, { maxAttempts: 5 })
      assert.equal(await queue.waitFor(id), 'failed')
      await delay(300)
      assert.equal(calls, 1)
      assert.deepEqual(failures, [{ id, error: 'not an image', interrupted: false }])
    })

    test('depth counts waiting jobs per kind and in all, and drops to 0 as they run', async (t) => {
      const { queue } = await setup(t)
      assert.equal(await queue.depth(), 0)
      const ids = [await queue.enqueue('a', 1), await queue.enqueue('a', 2), await queue.enqueue('b', 3)]
      assert.equal(await queue.depth('a'), 2)
      assert.equal(await queue.depth('b'), 1)
      assert.equal(await queue.depth('c'), 0)
      assert.equal(await queue.depth(), 3)
      let release!: () => void
      const gate = new Promise<void>((resolve) => (release = resolve))
      let started = 0
      queue.work('a', async () => void (started++, await gate), { concurrency: 1 })
      queue.work('b', async () => {})
      await queue.start()
      await waitFor(() => started === 1, { what: 'the first job of a to start', intervalMs: 10 })
      assert.equal(await queue.waitFor(ids[2]!), 'done')
      assert.equal(await queue.depth('a'), 1, 'the running job is not waiting')
      release()
      for (const id of ids) assert.equal(await queue.waitFor(id), 'done')
      assert.equal(await queue.depth(), 0)
    })

    test('jobs enqueued before start run after start, on this or a restarted instance', async (t) => {
      const { queue, restart } = await setup(t)
      const early = await queue.enqueue('k', { n: 1 })
      const orphan = await queue.enqueue('k', { n: 2 })
      await queue.stop()
      const next = await restart()
      const seen: unknown[] = []
      next.work('k', async (payload) => void seen.push(payload))
      await next.start()
      assert.equal(await next.waitFor(early), 'done')
      assert.equal(await next.waitFor(orphan), 'done')
      assert.deepEqual(seen.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ n: 1 }, { n: 2 }])
    })

    test('a delayed job does not run before its delay', async (t) => {
      const { queue } = await setup(t)
      let ran = false
      queue.work('later', async () => void (ran = true))
      await queue.start()
      const id = await queue.enqueue('later', {}, { delaySeconds: 2 })
      await delay(500)
      assert.equal(ran, false)
      assert.equal(await queue.waitFor(id, 10_000), 'done')
    })

    test('stop waits for running handlers, and their jobs end done', async (t) => {
      const { queue, restart } = await setup(t)
      let finished = false
      let started = false
      queue.work('slow', async () => {
        started = true
        await delay(300)
        finished = true
      })
      await queue.start()
      const id = await queue.enqueue('slow', {})
      const unworked = await queue.enqueue('nobody-works-this', {})
      await waitFor(() => started, { what: 'the handler to start', intervalMs: 10 })
      const pending = assert.rejects(queue.waitFor(unworked, 10_000), /stopped/)
      await queue.stop({ graceMillis: 10_000 })
      assert.equal(finished, true)
      await pending
      await assert.rejects(queue.waitFor(id), /stopped/)
      assert.equal(await (await restart()).waitFor(id), 'done')
    })

    test('a run abandoned mid-way (crash) is retried by the next instance and completes', async (t) => {
      const { queue, restart } = await setup(t)
      let signal: AbortSignal | undefined
      queue.work('swap', async (_payload, run) => {
        signal = run.signal
        await never()
      })
      await queue.start()
      const id = await queue.enqueue('swap', { photoId: 'p3' }, { maxAttempts: 3 })
      await waitFor(() => signal !== undefined, { what: 'the first run to start', intervalMs: 10 })
      await queue.stop({ graceMillis: 0 })
      assert.equal(signal?.aborted, true)
      const next = await restart()
      const attempts: number[] = []
      next.work('swap', async (_payload, run) => void attempts.push(run.attempt))
      await next.start()
      assert.equal(await next.waitFor(id, 20_000), 'done')
      assert.deepEqual(attempts, [2])
    })

    test('a live run longer than its lease/expiry keeps it (renewed) and runs once', async (t) => {
      const { queue, restart } = await setup(t)
      // A second instance polling the same storage, as another node would: it must not take the run over.
      const other = await restart()
      const attempts: string[] = []
      const handler = (who: string) => async (_payload: unknown, run: { signal: AbortSignal }) => {
        attempts.push(who)
        await delay(3000)
        assert.equal(run.signal.aborted, false, 'the live run was not abandoned')
      }
      queue.work('long', handler('a'))
      other.work('long', handler('b'))
      await queue.start()
      const id = await queue.enqueue('long', {}, { maxAttempts: 3 })
      await waitFor(() => attempts.length > 0, { what: 'the run to start', intervalMs: 10 })
      await other.start()
      assert.equal(await queue.waitFor(id, 20_000), 'done')
      assert.equal(attempts.length, 1, `one run only: ${attempts.join(', ')}`)
    })

    test('a run lost on its last attempt fails the job, and onFailed hears it was interrupted', async (t) => {
      const { queue, restart } = await setup(t)
      let started = false
      queue.work('swap', async () => void (started = true, await never()))
      await queue.start()
      const id = await queue.enqueue('swap', { photoId: 'p4' }, { maxAttempts: 1 })
      await waitFor(() => started, { what: 'the run to start', intervalMs: 10 })
      await queue.stop({ graceMillis: 0 })
      const next = await restart()
      const failures: Array<[unknown, JobFailure]> = []
      let reruns = 0
      next.work('swap', async () => void reruns++)
      next.onFailed('swap', async (payload, failure) => void failures.push([payload, failure]))
      await next.start()
      assert.equal(await next.waitFor(id, 20_000), 'failed')
      await waitFor(() => failures.length > 0, { what: 'onFailed', intervalMs: 10 })
      assert.equal(reruns, 0)
      const [payload, failure] = failures[0]!
      assert.deepEqual(payload, { photoId: 'p4' })
      assert.equal(failure.id, id)
      assert.equal(failure.interrupted, true)
      assert.match(failure.error, /interrupted/)
    })

    test('waitFor times out with JobWaitTimeoutError and rejects an unknown id', async (t) => {
      const { queue } = await setup(t)
      await queue.start()
      const id = await queue.enqueue('nobody-works-this', {})
      await assert.rejects(queue.waitFor(id, 200), JobWaitTimeoutError)
      await assert.rejects(queue.waitFor('no-such-job', 200), /unknown job/)
    })
  })
}
