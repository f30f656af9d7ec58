import { watch, type FSWatcher } from 'node:fs'
import { setTimeout as delay } from 'node:timers/promises'

// The one way tests wait for something that happens elsewhere (a job, another process, a file):
// no hand-written deadline loops, and every timeout says what was awaited and what was last seen.

export type Truthy<T> = Exclude<T, false | 0 | 0n | '' | null | undefined>

export interface WaitOptions {
  /** What is awaited, as the error should name it: "the tickets to finish" */
  what: string
  /** Default 10 s */
  timeoutMs?: number
}

export interface PollOptions extends WaitOptions {
  /** Pause between two checks; default 25 ms */
  intervalMs?: number
}

export class WaitTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, readonly lastValue: unknown) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${preview(lastValue)}`)
    this.name = 'WaitTimeoutError'
  }
}

function preview(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text
}

/**
 * Calls `check` until it returns a truthy value, and returns that value; with `until`, until
 * `until(value)` holds (then a timeout reports the whole last value, not just `false`). A check that
 * throws ends the wait with its error at once: an assertion inside a check is a failure, not "not
 * yet". The last check runs at the deadline, so the interval never costs a result that came in time.
 */
export function waitFor<T>(check: () => T | Promise<T>, options: PollOptions & { until: (value: T) => boolean }): Promise<T>
export function waitFor<T>(check: () => T | Promise<T>, options: PollOptions): Promise<Truthy<T>>
export async function waitFor<T>(check: () => T | Promise<T>, options: PollOptions & { until?: (value: T) => boolean }): Promise<T> {
  const { what, timeoutMs = 10_000, intervalMs = 25, until = Boolean } = options
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (until(value)) return value
    const left = deadline - performance.now()
    if (left <= 0) throw new WaitTimeoutError(what, timeoutMs, value)
    await delay(Math.min(intervalMs, left))
  }
}

/**
 * Like waitFor, but `check` runs once at the start and again on every change fs.watch reports in
 * `dirs` (their direct entries), instead of on a timer: for moments too short to catch by polling.
 */
export function waitForFsChange<T>(dirs: string[], check: () => T, options: WaitOptions): Promise<Truthy<T>> {
  const { what, timeoutMs = 10_000 } = options
  return new Promise((resolve, reject) => {
    const watchers: FSWatcher[] = []
    let settled = false
    let last: T | undefined
    const settle = (outcome: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
      outcome()
    }
    const evaluate = () => {
      if (settled) return
      try {
        last = check()
      } catch (error) {
        return settle(() => reject(error))
      }
      if (last) settle(() => resolve(last as Truthy<T>))
    }
    const timer = setTimeout(() => settle(() => reject(new WaitTimeoutError(what, timeoutMs, last))), timeoutMs)
    try {
      // Watch first, then check: a change between the two cannot slip through unseen.
      for (const dir of dirs) watchers.push(watch(dir, evaluate).on('error', (error) => settle(() => reject(error))))
    } catch (error) {
      return settle(() => reject(error))
    }
    evaluate()
  })
}
