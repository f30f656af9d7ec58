import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor, waitForFsChange, WaitTimeoutError } from '../helpers/poll.js'

test('waitFor returns the first truthy value', async () => {
  let calls = 0
  const value = await waitFor(() => (++calls === 3 ? { calls } : null), { what: 'the third call', intervalMs: 1 })
  assert.deepEqual(value, { calls: 3 })
})

test('waitFor with until returns the value that satisfied it', async () => {
  let n = 0
  assert.equal(await waitFor(async () => ++n, { until: (value) => value >= 2, what: 'two', intervalMs: 1 }), 2)
})

test('a timeout names what was awaited and the last value seen', async () => {
  await assert.rejects(
    waitFor(() => ({ complete: 0 }), { until: (state) => state.complete !== 0, what: 'the ticket to finish', timeoutMs: 30, intervalMs: 5 }),
    (error: unknown) => {
      assert.ok(error instanceof WaitTimeoutError)
      assert.match(error.message, /waiting for the ticket to finish; last value: \{"complete":0\}/)
      return true
    },
  )
})

test('a check that throws ends the wait with its error', async () => {
  const failure = new Error('server answered 500')
  await assert.rejects(waitFor(() => { throw failure }, { what: 'never', timeoutMs: 5_000 }), failure)
})

test('waitForFsChange re-checks when an entry appears in a watched folder', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'retake-poll-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  let checks = 0
  const markerExists = () => {
    checks++
    return existsSync(join(dir, 'marker'))
  }
  const waiting = waitForFsChange([dir], markerExists, { what: 'the marker file', timeoutMs: 5_000 })
  assert.equal(checks, 1, 'checked once at the start')
  await writeFile(join(dir, 'marker'), 'x')
  assert.equal(await waiting, true)
})

test('waitForFsChange times out naming what was awaited', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'retake-poll-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  await assert.rejects(waitForFsChange([dir], () => false, { what: 'a file that never comes', timeoutMs: 30 }), /waiting for a file that never comes; last value: false/)
})
