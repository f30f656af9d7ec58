import type { Services } from '../../services.js'

/**
 * Deletes blobs whose garbage intent is due: old revisions released by a committed swap, and new
 * revisions a crashed or failed attempt never committed. A key some photo row still claims is only
 * unlisted, never deleted (a belt to the transaction's braces). Idempotent; returns blobs deleted.
 */
export async function sweepBlobGarbage(services: Services, now = services.clock(), batch = 500): Promise<number> {
  let deleted = 0
  for (;;) {
    const due = await services.blobGarbage.due(now, batch)
    if (due.length === 0) return deleted
    for (const key of due) {
      if (!(await services.photos.isKeyReferenced(key))) {
        await services.blobs.delete(key)
        deleted++
      }
      await services.blobGarbage.remove([key])
    }
    if (due.length < batch) return deleted
  }
}
