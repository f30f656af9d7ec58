import { createHash } from 'node:crypto'
import { pipeline, Transform, type Readable } from 'node:stream'
import { BlobExistsError, BlobNotFoundError } from './blob-store.js'
import type { BlobKey, BlobStore } from './blob-store.js'

// Copies every blob of one store into another (e.g. DATA/blobs/ into an S3 bucket), generic over
// BlobStore. Resumable: a key the target already holds with the same bytes is skipped, so an
// interrupted run is simply run again. Every copy is read back and compared by SHA-256.

export type MigrationOutcome = 'copied' | 'skipped' | 'vanished' | 'conflict'

export interface MigrationReport {
  copied: number
  /** Already in the target with the same size and SHA-256. */
  skipped: number
  /** Listed in the source but deleted before it was copied (a sweeper or a running server). */
  vanished: number
  /** Keys the target holds with other bytes: never overwritten (keys are immutable), left for a person. */
  conflicts: BlobKey[]
  bytesCopied: number
}

export interface MigrateBlobsOptions {
  /** Keys copied at once. */
  concurrency?: number
  onBlob?: (key: BlobKey, outcome: MigrationOutcome) => void
}

export async function migrateBlobs(source: BlobStore, target: BlobStore, options: MigrateBlobsOptions = {}): Promise<MigrationReport> {
  const report: MigrationReport = { copied: 0, skipped: 0, vanished: 0, conflicts: [], bytesCopied: 0 }
  // One listing shared by the workers: an async generator queues concurrent next() calls.
  const keys = source.list('')[Symbol.asyncIterator]()
  const worker = async () => {
    for (let next = await keys.next(); !next.done; next = await keys.next()) {
      const key = next.value
      const { outcome, bytes } = await migrateOne(source, target, key)
      if (outcome === 'conflict') report.conflicts.push(key)
      else report[outcome] += 1
      report.bytesCopied += bytes
      options.onBlob?.(key, outcome)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker))
  report.conflicts.sort()
  return report
}

async function migrateOne(source: BlobStore, target: BlobStore, key: BlobKey): Promise<{ outcome: MigrationOutcome; bytes: number }> {
  const original = await source.stat(key)
  if (!original) return { outcome: 'vanished', bytes: 0 }
  if (!(await target.stat(key))) {
    const copied = await copyOne(source, target, key)
    if (copied === 'vanished') return { outcome: 'vanished', bytes: 0 }
    if (copied !== 'exists') return { outcome: 'copied', bytes: original.size }
  }
  const existing = await target.stat(key)
  const same = existing?.size === original.size && (await sha256Of(target, key)) === (await sha256Of(source, key))
  return { outcome: same ? 'skipped' : 'conflict', bytes: 0 }
}

/** Streams one blob across, hashing it on the way, then reads the copy back to compare. */
async function copyOne(source: BlobStore, target: BlobStore, key: BlobKey): Promise<'copied' | 'exists' | 'vanished'> {
  let body: Readable
  try {
    body = await source.get(key)
  } catch (error) {
    if (error instanceof BlobNotFoundError) return 'vanished'
    throw error
  }
  const hash = createHash('sha256')
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      callback(null, chunk)
    },
  })
  try {
    await target.put(key, pipeline(body, hashing, () => {}))
  } catch (error) {
    if (error instanceof BlobExistsError) return 'exists' // written meanwhile: compared by the caller
    throw error
  }
  const sent = hash.digest('hex')
  const stored = await sha256Of(target, key)
  if (stored !== sent) {
    await target.delete(key)
    throw new Error(`copy of ${key} does not verify: sent sha256 ${sent}, the target holds ${stored}`)
  }
  return 'copied'
}

async function sha256Of(store: BlobStore, key: BlobKey): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of await store.get(key)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
