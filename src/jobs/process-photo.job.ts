import { unlink } from 'node:fs/promises'
import { commitReplace, commitUpload, type PhotoMeta } from '../domain/photos/commit-photo.js'
import { sweepJobLeftovers } from '../domain/photos/blob-sweeper.js'
import { findOwnPhoto, inspectStagedFile } from '../domain/photos/ingest-checks.js'
import { photoErrors } from '../domain/photos/photo-errors.js'
import { TICKET_WAITING } from '../db/ticket-repository.js'
import { FlickrError } from '../errors/flickr-error.js'
import type { Services } from '../services.js'
import { PermanentJobError, type JobFailure, type JobQueue } from './job-queue.js'

export const PROCESS_PHOTO = 'process-photo'

/** An accepted async upload or replace: everything the worker needs, nothing it must recompute. */
export interface ProcessPhotoPayload {
  ticketId: string
  kind: 'upload' | 'replace'
  userNsid: string
  /** The new photo's id (chosen at acceptance, so a retried upload cannot create two) or the replaced one */
  photoId: string
  staged: { path: string; bytes: number; sha256: string }
  meta?: PhotoMeta
}

// A Flickr error travels through the queue as text; this prefix lets the failure hook recover its code.
const FLICKR_PREFIX = /^flickr (\d+): (.*)$/s

/**
 * The worker side of async upload/replace: the very same checks and commit code the sync path runs.
 * Idempotent: the ticket is completed in the commit's transaction, so a run retried after a crash
 * finds it complete and only cleans up.
 */
export async function processPhoto(services: Services, payload: ProcessPhotoPayload): Promise<void> {
  const ticket = await services.tickets.byId(payload.ticketId)
  // Blobs an interrupted earlier attempt stored: released (never claimable again) and deleted.
  await sweepJobLeftovers(services, payload.photoId, payload.ticketId)
  if (!ticket || ticket.status !== TICKET_WAITING) {
    await removeStaged(payload.staged.path)
    return
  }
  try {
    const user = await services.accounts.byNsid(payload.userNsid)
    if (!user) throw photoErrors.generalFailure()
    // A missing staged file probes as error 3: nothing to retry with, so the ticket fails.
    const probe = await inspectStagedFile(services, payload.staged.path, payload.staged.bytes, payload.kind)
    const staged = { ...payload.staged, probe }
    // Workers share the decode slots with sync requests but wait as long as it takes.
    await services.processingSlots.run(async () => {
      if (payload.kind === 'replace') {
        await findOwnPhoto(services, user, payload.photoId)
        await commitReplace(services, user, payload.photoId, staged, { ticketId: payload.ticketId })
      } else {
        await commitUpload(services, user, staged, payload.meta!, payload.photoId, { ticketId: payload.ticketId })
      }
    }, { unbounded: true })
  } catch (error) {
    if (error instanceof FlickrError) throw new PermanentJobError(`flickr ${error.code}: ${error.message}`, { cause: error })
    throw error
  }
  await removeStaged(payload.staged.path)
}

/** A job that failed for good marks its ticket failed (complete="2") with the Flickr error it met. */
export async function processPhotoFailed(services: Services, payload: ProcessPhotoPayload, failure: JobFailure): Promise<void> {
  const flickr = FLICKR_PREFIX.exec(failure.error)
  const failed = flickr ? { code: Number(flickr[1]), message: flickr[2]! } : photoErrors.generalFailure()
  await services.tickets.fail(payload.ticketId, failed.code, failed.message, services.clock())
  await sweepJobLeftovers(services, payload.photoId, payload.ticketId)
  await removeStaged(payload.staged.path)
}

export function registerPhotoJobs(queue: JobQueue, services: Services): void {
  queue.work<ProcessPhotoPayload>(PROCESS_PHOTO, (payload) => processPhoto(services, payload))
  queue.onFailed<ProcessPhotoPayload>(PROCESS_PHOTO, (payload, failure) => processPhotoFailed(services, payload, failure))
}

async function removeStaged(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
}
