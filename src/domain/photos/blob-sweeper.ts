import type { PhotoDeps } from './photo-deps.js'

type SweepDeps = Pick<PhotoDeps, 'blobGarbage' | 'photos' | 'blobs' | 'clock'>
import { jobKeyPrefix } from './photo-keys.js'

/**
 * Deletes blobs whose garbage intent is due: old revisions released by a committed swap, and new
 * revisions a crashed or failed attempt never committed. A key some photo row still claims is only
 * unlisted, never deleted (a belt to the transaction's braces). Idempotent; returns blobs deleted.
 */
export async function sweepBlobGarbage(services: SweepDeps, now = services.clock(), batch = 500): Promise<number> {
  let deleted = 0
  for (;;) {
    const due = await services.blobGarbage.due(now, batch)
    if (due.length === 0) return deleted
    deleted += await sweepKeys(services, due)
    if (due.length < batch) return deleted
  }
}

/** Deletes the blobs of these due intents that no photo row claims, then drops the intents. */
export async function sweepKeys(services: SweepDeps, keys: string[]): Promise<number> {
  let deleted = 0
  for (const key of keys) {
    if (!(await services.photos.isKeyReferenced(key))) {
      await services.blobs.delete(key)
      deleted++
    }
    await services.blobGarbage.remove([key])
  }
  return deleted
}

/**
 * Before an async job's attempt (and when it fails for good): whatever an earlier, interrupted attempt
 * of the same job stored is released, so it can no longer be committed, and deleted. Only one attempt
 * of a job runs at a time, so every intent under the job's key prefix is an earlier attempt's.
 */
export async function sweepJobLeftovers(services: SweepDeps, photoId: string, ticketId: string): Promise<number> {
  const keys = await services.blobGarbage.releasePrefix(jobKeyPrefix(photoId, ticketId), services.clock())
  return sweepKeys(services, keys)
}
