import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Services } from '../services.js'
import { sweepBlobGarbage } from './photos/blob-sweeper.js'

const INTERVAL_MILLIS = 60_000
// A sync request's staged file lives for the length of the request; a day old is certainly abandoned.
const STALE_STAGED_SECONDS = 24 * 3600

/**
 * Removes staged files no waiting ticket needs. At start-up (`all`), every such file is a leftover of
 * a process that died mid-request; later, only old ones are, since live sync requests own theirs.
 */
export async function sweepStagingDir(services: Services, options: { all: boolean }): Promise<number> {
  let names: string[]
  try {
    names = await readdir(services.stagingDir)
  } catch {
    return 0
  }
  const inUse = await services.tickets.stagedPathsInUse()
  const cutoff = Date.now() - STALE_STAGED_SECONDS * 1000
  let removed = 0
  for (const name of names) {
    const path = join(services.stagingDir, name)
    if (inUse.has(path)) continue
    if (!options.all) {
      const info = await stat(path).catch(() => undefined)
      if (!info || info.mtimeMs > cutoff) continue
    }
    await unlink(path).catch(() => undefined)
    removed++
  }
  return removed
}

/** One pass of every cleanup: blob garbage, stale staged files, tickets past their retention. */
export async function runMaintenance(services: Services, options: { startup: boolean }): Promise<void> {
  await sweepBlobGarbage(services)
  await sweepStagingDir(services, { all: options.startup })
  await services.tickets.deleteFinishedBefore(services.clock() - services.config.ticketRetentionDays * 86400)
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
