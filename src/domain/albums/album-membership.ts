import type { Account } from '../../db/account-repository.js'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { PHOTO_ID_PATTERN } from '../photos/photo-keys.js'
import { inTransaction, lockOwnSet, ownPhotoIn, settleAfterRemoval, type AlbumDeps, type AlbumTx } from './album-deps.js'

// Changes to which photos a set holds and in what order. Each runs in one transaction that first locks
// the set (AlbumRepository.lock), so concurrent calls on one set apply one after another: no photo
// twice, no gap in the order. Checks follow Flickr's codes: 1 the set, then 2 the photo, then 3.

/** Appends the photo at the end of the set. */
export function addPhoto(deps: AlbumDeps, user: Account, photosetId: string, photoId: string): Promise<void> {
  return inTransaction(deps, async (tx) => {
    await lockOwnSet(tx, user, photosetId, deps.clock())
    const photo = await ownPhotoIn(tx, user, photoId)
    if ((await tx.albums.positionOf(photosetId, photo.id)) !== undefined) throw new FlickrError(methodErrors.photoAlreadyInSet)
    await tx.albums.append(photosetId, photo.id)
  })
}

/**
 * Removes photos; `strict` (removePhoto) answers 3 for a photo not in the set, removePhotos skips it.
 * A set left empty is deleted; one that lost its primary takes its first photo.
 */
export function removePhotos(deps: AlbumDeps, user: Account, photosetId: string, photoIds: readonly string[], strict: boolean): Promise<void> {
  return inTransaction(deps, async (tx) => {
    const set = await lockOwnSet(tx, user, photosetId, deps.clock())
    for (const photoId of photoIds) await ownPhotoIn(tx, user, photoId)
    for (const photoId of photoIds) {
      if (!(await tx.albums.removeMember(photosetId, photoId)) && strict) throw new FlickrError(methodErrors.photoNotInSet)
    }
    await settleAfterRemoval(tx, set)
  })
}

/** Replaces the set's photos with `photoIds` in that order, and its primary. */
export function editPhotos(deps: AlbumDeps, user: Account, photosetId: string, primaryPhotoId: string, photoIds: readonly string[]): Promise<void> {
  return inTransaction(deps, async (tx) => {
    await lockOwnSet(tx, user, photosetId, deps.clock())
    const primary = await ownPhotoIn(tx, user, primaryPhotoId, methodErrors.primaryPhotoNotFound)
    const unique = await ownPhotos(tx, user, photoIds)
    if (!unique.includes(primary.id)) throw new FlickrError(methodErrors.primaryPhotoNotInList)
    await tx.albums.rewriteMembers(photosetId, unique)
    await tx.albums.setPrimary(photosetId, primary.id)
  })
}

/**
 * The listed members first, in the order given; the others keep their relative order after them
 * (Flickr: "photos that are not in the list will keep their original order"). Listed photos of the
 * caller's that are not in the set are ignored.
 */
export function reorderPhotos(deps: AlbumDeps, user: Account, photosetId: string, photoIds: readonly string[]): Promise<void> {
  return inTransaction(deps, async (tx) => {
    await lockOwnSet(tx, user, photosetId, deps.clock())
    const listed = await ownPhotos(tx, user, photoIds)
    const members = await tx.albums.memberIds(photosetId)
    const inSet = new Set(members)
    const first = listed.filter((id) => inSet.has(id))
    const placed = new Set(first)
    await tx.albums.rewriteMembers(photosetId, [...first, ...members.filter((id) => !placed.has(id))])
  })
}

/** The photo must be the caller's and already in the set (2 otherwise: Flickr leaves this open). */
export function setPrimaryPhoto(deps: AlbumDeps, user: Account, photosetId: string, photoId: string): Promise<void> {
  return inTransaction(deps, async (tx) => {
    await lockOwnSet(tx, user, photosetId, deps.clock())
    const photo = await ownPhotoIn(tx, user, photoId)
    if ((await tx.albums.positionOf(photosetId, photo.id)) === undefined) throw new FlickrError(methodErrors.photoNotFoundForSet)
    await tx.albums.setPrimary(photosetId, photo.id)
  })
}

/** Each id must be one of the caller's photos (2); duplicates keep their first place. */
async function ownPhotos(tx: AlbumTx, user: Account, photoIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(photoIds)]
  const owned = await tx.albums.ownedPhotoIds(user.nsid, unique.filter((id) => PHOTO_ID_PATTERN.test(id)))
  if (unique.some((id) => !owned.has(id))) throw new FlickrError(methodErrors.photoNotFoundForSet)
  return unique
}
