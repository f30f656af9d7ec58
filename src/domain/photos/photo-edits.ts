import type { Account } from '../../db/account-repository.js'
import { AlbumRepository } from '../../db/album-repository.js'
import { BlobGarbageRepository } from '../../db/blob-garbage-repository.js'
import { PhotoRepository, type PhotoRow } from '../../db/photo-repository.js'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { PhotoDeps } from './photo-deps.js'
import { PHOTO_ID_PATTERN } from './photo-keys.js'
import { deleteReleasedBlobs } from './photo-revision.js'
import { storableText } from '../text.js'
import { MAX_TAGS, parseTags } from './tags.js'
import { canView } from './visibility.js'

// Changes to a photo's metadata, and its deletion. "Not there" and "not yours" answer alike (code 1),
// so a caller cannot probe for other people's private photos.

const notFound = () => new FlickrError(methodErrors.photoNotFound)

async function byId(deps: Pick<PhotoDeps, 'photos'>, photoId: string): Promise<PhotoRow> {
  const photo = PHOTO_ID_PATTERN.test(photoId) ? await deps.photos.byId(photoId) : undefined
  if (!photo) throw notFound()
  return photo
}

/** The photo if the viewer may see it (the one visibility rule); `secret` is getInfo's capability. */
export async function viewablePhoto(deps: Pick<PhotoDeps, 'photos'>, viewerNsid: string | null, photoId: string, secret?: string): Promise<PhotoRow> {
  const photo = await byId(deps, photoId)
  if (!canView(photo, { viewerNsid, secret: secret === undefined ? undefined : { given: secret, expected: photo.secret } })) throw notFound()
  return photo
}

/** The photo if it belongs to the user (the write methods). */
export async function ownPhoto(deps: Pick<PhotoDeps, 'photos'>, user: Account, photoId: string): Promise<PhotoRow> {
  const photo = await byId(deps, photoId)
  if (photo.ownerNsid !== user.nsid) throw notFound()
  return photo
}

/** An argument left out keeps its current value (Flickr made both optional). */
export async function setMeta(deps: PhotoDeps, user: Account, photoId: string, meta: { title?: string; description?: string }): Promise<void> {
  const photo = await ownPhoto(deps, user, photoId)
  const title = meta.title === undefined ? photo.title : storableText(meta.title)
  const description = meta.description === undefined ? photo.description : storableText(meta.description)
  await deps.photos.setMeta(photo.id, title, description, deps.clock())
}

/** Replaces every tag; 2 past Flickr's cap. */
export async function setTags(deps: PhotoDeps, user: Account, photoId: string, tagText: string): Promise<void> {
  const photo = await ownPhoto(deps, user, photoId)
  const tags = parseTags(tagText)
  if (tags.length > MAX_TAGS) throw new FlickrError(methodErrors.tooManyTags)
  const now = deps.clock()
  // Checked again inside the transaction: tag rows must not outlive a photo deleted meanwhile.
  await deps.database.db.transaction().execute(async (tx) => {
    const photos = new PhotoRepository(tx)
    if (!(await photos.byId(photo.id))) throw notFound()
    await photos.setTags(photo.id, tags.map(({ raw, clean }) => ({ raw, clean })), now)
  })
}

/**
 * Rows go and their blob keys are recorded as garbage in one transaction, so a crash after commit
 * still gets the bytes deleted by the sweeper; the delete itself happens after commit.
 */
export async function deletePhoto(deps: PhotoDeps, user: Account, photoId: string): Promise<void> {
  const photo = await ownPhoto(deps, user, photoId)
  const now = deps.clock()
  const released = await deps.database.db.transaction().execute(async (tx) => {
    const photos = new PhotoRepository(tx)
    // Re-read inside the transaction: a concurrent delete may have won since the check above.
    const current = await photos.byId(photo.id)
    if (!current || current.ownerNsid !== user.nsid) throw notFound()
    // Albums: the photo leaves every set (a set without it takes another primary; an empty one goes).
    await new AlbumRepository(tx).detachPhoto(photo.id, now)
    const keys = await photos.delete(photo.id)
    await new BlobGarbageRepository(tx).add(keys, now)
    return keys
  })
  deps.usageReport.forget(user.nsid)
  await deleteReleasedBlobs(deps, released)
}

/** Adds tags after the existing ones (duplicates by clean form skipped); all or nothing past the cap (2). */
export async function addTags(deps: PhotoDeps, user: Account, photoId: string, tagText: string): Promise<void> {
  const photo = await ownPhoto(deps, user, photoId)
  await deps.database.db.transaction().execute(async (tx) => {
    const photos = new PhotoRepository(tx)
    if (!(await photos.byId(photo.id))) throw notFound()
    const existing = new Set((await photos.tags(photo.id)).map((tag) => tag.clean))
    const added = parseTags(tagText).filter((tag) => !existing.has(tag.clean))
    if (existing.size + added.length > MAX_TAGS) throw new FlickrError(methodErrors.tooManyTags)
    await photos.appendTags(photo.id, added, deps.clock())
  })
}

/** A tag id as getInfo gives it: `{owner nsid}-{photo id}-{position}`. */
export function tagId(photo: Pick<PhotoRow, 'ownerNsid' | 'id'>, position: number): string {
  return `${photo.ownerNsid}-${photo.id}-${position}`
}

/** Removes one of the caller's tags by its getInfo id; 1 "Tag not found" for anything else. */
export async function removeTag(deps: PhotoDeps, user: Account, id: string): Promise<void> {
  const match = /^(.+)-(\d{1,20})-(\d{1,6})$/.exec(id.trim())
  const tagNotFound = () => new FlickrError(methodErrors.tagNotFound)
  if (!match || match[1] !== user.nsid) throw tagNotFound()
  const photo = PHOTO_ID_PATTERN.test(match[2]!) ? await deps.photos.byId(match[2]!) : undefined
  if (!photo || photo.ownerNsid !== user.nsid) throw tagNotFound()
  if (!(await deps.photos.removeTag(photo.id, Number(match[3]), deps.clock()))) throw tagNotFound()
}
