import type { Transaction } from 'kysely'
import { newPhotoId } from '../../auth/ids.js'
import { BlobGarbageRepository } from '../../db/blob-garbage-repository.js'
import { PhotoRepository } from '../../db/photo-repository.js'
import { TicketRepository } from '../../db/ticket-repository.js'
import { UsageRepository } from '../../db/usage-repository.js'
import type { Account } from '../../db/account-repository.js'
import type { Database } from '../../db/tables.js'
import type { ProbedImage } from '../../images/probe.js'
import { uploadErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { PhotoDeps } from './photo-deps.js'
import { claimRevision, deleteReleasedBlobs, discardRevision, prepareRevision } from './photo-revision.js'
import { storableText } from '../text.js'
import { MAX_TAGS, parseTags } from './tags.js'

export interface PhotoMeta {
  title: string
  description: string
  tags: string
  isPublic: boolean
  isFriend: boolean
  isFamily: boolean
  safetyLevel: number
  contentType: number
  hidden: number
}

export interface StagedPhoto {
  path: string
  bytes: number
  sha256: string
  probe: ProbedImage
}

// Flickr's current static server id; URLs embed it, and `farm` 66 goes with it.
export const PHOTO_SERVER = '65535'

function mysqlDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')
}

/** Async runs name their ticket: it is completed in the same transaction, so a retry sees it done. */
export interface CommitOptions {
  ticketId?: string
}

/** A ticket some other attempt already finished means this attempt was superseded: roll back. */
async function completeTicket(tx: Transaction<Database>, ticketId: string | undefined, photoId: string, now: number): Promise<void> {
  if (ticketId && !(await new TicketRepository(tx).complete(ticketId, photoId, now))) {
    throw new Error(`ticket ${ticketId} is no longer waiting: another attempt finished it`)
  }
}

/** Renders and stores a new photo, then inserts it in one transaction. Returns the photo id. */
export async function commitUpload(
  services: PhotoDeps,
  user: Account,
  staged: StagedPhoto,
  meta: PhotoMeta,
  photoId = newPhotoId(),
  options: CommitOptions = {},
): Promise<string> {
  const prepared = await prepareRevision(services, { photoId, stagedPath: staged.path, sha256: staged.sha256, bytes: staged.bytes, probe: staged.probe, ticketId: options.ticketId })
  const now = services.clock()
  try {
    await services.faults?.('before-commit')
    await services.database.db.transaction().execute(async (tx) => {
      await new PhotoRepository(tx).insert(
        {
          id: photoId,
          ownerNsid: user.nsid,
          revision: 1,
          server: PHOTO_SERVER,
          ...prepared.fields,
          title: storableText(meta.title),
          description: storableText(meta.description),
          isPublic: meta.isPublic ? 1 : 0,
          isFriend: meta.isFriend ? 1 : 0,
          isFamily: meta.isFamily ? 1 : 0,
          safetyLevel: meta.safetyLevel,
          contentType: meta.contentType,
          hidden: meta.hidden,
          datePosted: now,
          // Taken comes from EXIF when present (granularity 0), else the upload time (misc.dates).
          dateTaken: staged.probe.dateTaken ?? mysqlDate(now),
          dateTakenGranularity: 0,
          lastUpdate: now,
          views: 0,
        },
        prepared.files.map((file) => ({ ...file, revision: 1 })),
        // Flickr's one tag cap: an upload keeps the first MAX_TAGS (its API has no code to refuse with).
        parseTags(meta.tags).slice(0, MAX_TAGS).map((tag, position) => ({ photoId, position, raw: tag.raw, clean: tag.clean })),
      )
      await new UsageRepository(tx).addBytes(user.nsid, staged.bytes, now)
      await claimRevision(new BlobGarbageRepository(tx), prepared, now)
      await completeTicket(tx, options.ticketId, photoId, now)
    })
  } catch (error) {
    await discardRevision(services, prepared.keys)
    throw error
  }
  services.usageReport.forget(user.nsid)
  await services.faults?.('after-commit')
  return photoId
}

/**
 * Replace, atomic by construction: the new files sit under new keys; one short transaction points
 * the photo at them (keeping every other field) and releases the old keys, which are deleted after
 * commit. Until the commit the old photo is untouched, so any failure leaves it exactly as it was.
 * Two replaces of one photo racing each other are last-writer-wins: each renders its own complete
 * revision, and the commit that runs last points the photo at its files, so every size comes from
 * one of them, never a mix (conditional replace would come with version history).
 */
export async function commitReplace(
  services: PhotoDeps,
  user: Account,
  photoId: string,
  staged: StagedPhoto,
  options: CommitOptions = {},
): Promise<{ secret: string; originalSecret: string }> {
  const prepared = await prepareRevision(services, { photoId, stagedPath: staged.path, sha256: staged.sha256, bytes: staged.bytes, probe: staged.probe, ticketId: options.ticketId })
  const now = services.clock()
  let released: string[]
  try {
    await services.faults?.('before-commit')
    released = await services.database.db.transaction().execute(async (tx) => {
      const photos = new PhotoRepository(tx)
      const current = await photos.byId(photoId)
      if (!current || current.ownerNsid !== user.nsid) throw new FlickrError(uploadErrors.photoNotFound)
      const swapped = await photos.swapRevision(photoId, prepared.fields, prepared.files)
      if (!swapped) throw new FlickrError(uploadErrors.photoNotFound)
      const garbage = new BlobGarbageRepository(tx)
      await claimRevision(garbage, prepared, now)
      await garbage.add(swapped.oldKeys, now)
      await new UsageRepository(tx).addBytes(user.nsid, staged.bytes, now)
      await completeTicket(tx, options.ticketId, photoId, now)
      return swapped.oldKeys
    })
  } catch (error) {
    await discardRevision(services, prepared.keys)
    throw error
  }
  services.usageReport.forget(user.nsid)
  await services.faults?.('after-commit')
  await deleteReleasedBlobs(services, released)
  return { secret: prepared.fields.secret, originalSecret: prepared.fields.originalSecret }
}
