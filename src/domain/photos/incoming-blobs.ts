import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { TICKET_WAITING } from '../../db/ticket-repository.js'
import { uploadErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { BlobNotFoundError, type BlobKey } from '../../storage/blob-store.js'
import type { PhotoDeps } from './photo-deps.js'

// An accepted async upload/replace keeps its original in the blob store, not on the accepting node's
// disk: on a shared store (S3) any node's worker can then run the job, also after the acceptor died.

const INCOMING_PREFIX = 'incoming/'

type IncomingDeps = Pick<PhotoDeps, 'blobs' | 'stagingDir'>

/** `incoming/{ticketId}.upload`: one key per ticket, never reused (ticket ids are random). */
export function incomingKey(ticketId: string): BlobKey {
  return `${INCOMING_PREFIX}${ticketId}.upload`
}

function ticketOfIncomingKey(key: BlobKey): string | undefined {
  const match = /^incoming\/([^/]+)\.upload$/.exec(key)
  return match?.[1]
}

/**
 * Copies the blob to a new local file under the staging folder (sharp and the probe read files) and
 * returns its path; the caller removes it. A missing blob is error 3: there is nothing to retry with.
 */
export async function fetchIncoming(deps: IncomingDeps, key: BlobKey): Promise<string> {
  await mkdir(deps.stagingDir, { recursive: true })
  const path = join(deps.stagingDir, `job-${randomBytes(12).toString('hex')}.part`)
  try {
    await pipeline(await deps.blobs.get(key), createWriteStream(path, { flags: 'wx', mode: 0o600 }))
  } catch (error) {
    await removeLocal(path)
    if (error instanceof BlobNotFoundError) throw new FlickrError(uploadErrors.generalFailure, { cause: error })
    throw error
  }
  return path
}

export async function removeLocal(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
}

/**
 * Deletes incoming blobs whose ticket is no longer waiting (finished, or forgotten after retention).
 * The ticket row is inserted before its blob is put, so a blob without a waiting ticket is never one an
 * acceptance is still writing. Safe to run on two nodes at once: deleting a missing key is success.
 */
export async function sweepIncoming(deps: Pick<PhotoDeps, 'blobs' | 'tickets'>, batch = 200): Promise<number> {
  let removed = 0
  let keys: BlobKey[] = []
  const flush = async () => {
    const tickets = await deps.tickets.byIds(keys.map((key) => ticketOfIncomingKey(key)!))
    for (const key of keys) {
      if (tickets.get(ticketOfIncomingKey(key)!)?.status === TICKET_WAITING) continue
      await deps.blobs.delete(key)
      removed++
    }
    keys = []
  }
  for await (const key of deps.blobs.list(INCOMING_PREFIX)) {
    if (ticketOfIncomingKey(key) === undefined) continue
    keys.push(key)
    if (keys.length >= batch) await flush()
  }
  if (keys.length > 0) await flush()
  return removed
}
