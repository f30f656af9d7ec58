import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Services } from '../services.js'
import { onOneNode } from '../db/advisory-lock.js'
import { sweepBlobGarbage } from './photos/blob-sweeper.js'
import { sweepIncoming } from './photos/incoming-blobs.js'

/** pg_try_advisory_lock key of the shared maintenance pass (any constant unique within Retake). */
const MAINTENANCE_LOCK = 0x7265_7461_6b65_01n

const INTERVAL_MILLIS = 60_000
// A sync request's staged file lives for the length of the request; a day old is certainly abandoned.
const STALE_STAGED_SECONDS = 24 * 3600
// Files this process made (requests, jobs' copies of incoming blobs) are never a dead process's leftovers.
const PROCESS_STARTED_AT = Date.now()

/**
 * Removes staged files no waiting ticket needs. At start-up (`all`), every such file older than this
 * process is a leftover of one that died mid-request; later, only old ones are, since live requests
 * and jobs own theirs.
 */
export async function sweepStagingDir(services: Services, options: { all: boolean }): Promise<number> {
  let names: string[]
  try {
    names = await readdir(services.stagingDir)
  } catch {
    return 0
  }
  const inUse = await services.tickets.stagedPathsInUse()
  const cutoff = options.all ? PROCESS_STARTED_AT : Date.now() - STALE_STAGED_SECONDS * 1000
  let removed = 0
  for (const name of names) {
    const path = join(services.stagingDir, name)
    if (inUse.has(path)) continue
    const info = await stat(path).catch(() => undefined)
    if (!info || info.mtimeMs >= cutoff) continue
    await unlink(path).catch(() => undefined)
    removed++
  }
  return removed
}

/**
 * One pass of every cleanup: blob garbage, incoming blobs of finished tickets, tickets past their
 * retention (shared state: one node at a time on PostgreSQL), then this node's stale staged files.
 */
export async function runMaintenance(services: Services, options: { startup: boolean }): Promise<void> {
  await onOneNode(services.database, MAINTENANCE_LOCK, async () => {
    await sweepBlobGarbage(services)
    await sweepIncoming(services)
    await services.tickets.deleteFinishedBefore(services.clock() - services.config.ticketRetentionDays * 86400)
  })
  await sweepStagingDir(services, { all: options.startup })
}

/** Runs maintenance now (start-up pass) and then every minute, without keeping the process alive. */
export function startMaintenance(services: Services, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<unknown> = runMaintenance(services, { startup: true }).catch(onError)
  const timer = setInterval(() => {
    running = running.then(() => runMaintenance(services, { startup: false }).catch(onError))
  }, INTERVAL_MILLIS)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
