import { randomInt } from 'node:crypto'
import type { Account } from '../../db/account-repository.js'
import type { AccountRepository } from '../../db/account-repository.js'
import { AlbumRepository, type PhotosetRow } from '../../db/album-repository.js'
import type { DatabaseHandle } from '../../db/database.js'
import { PhotoRepository, type PhotoRow } from '../../db/photo-repository.js'
import type { PhotoListRepository } from '../../db/photo-list-repository.js'
import type { Transaction } from 'kysely'
import type { Database } from '../../db/tables.js'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { PHOTO_ID_PATTERN } from '../photos/photo-keys.js'

/** What the album use cases depend on. */
export interface AlbumDeps {
  database: DatabaseHandle
  albums: AlbumRepository
  photos: PhotoRepository
  photoLists: PhotoListRepository
  accounts: AccountRepository
  clock: () => number
  /** Told when a user's sets may have come or gone (cached upload-status figures drop them) */
  setsChanged?: (ownerNsid: string) => void
}

/** Photoset ids look like Flickr's (17 digits from 72157); random, so they reveal nothing. */
export function newPhotosetId(): string {
  let digits = '72157'
  while (digits.length < 17) digits += String(randomInt(0, 10))
  return digits
}

/** The repositories of one write transaction. */
export interface AlbumTx {
  albums: AlbumRepository
  photos: PhotoRepository
}

export function inTransaction<T>(deps: AlbumDeps, work: (tx: AlbumTx) => Promise<T>): Promise<T> {
  return deps.database.db.transaction().execute((tx: Transaction<Database>) => work({ albums: new AlbumRepository(tx), photos: new PhotoRepository(tx) }))
}

/** Locks the caller's set for this transaction; 1 when it is missing or someone else's (same answer). */
export async function lockOwnSet(tx: AlbumTx, user: Account, photosetId: string, now: number): Promise<PhotosetRow> {
  const set = await tx.albums.lock(photosetId, now)
  if (!set || set.ownerNsid !== user.nsid) throw new FlickrError(methodErrors.photosetNotFound)
  return set
}

/** One of the caller's photos, read inside the transaction; `notFound` is the method's own code. */
export async function ownPhotoIn(tx: AlbumTx, user: Account, photoId: string, notFound = methodErrors.photoNotFoundForSet): Promise<PhotoRow> {
  const photo = PHOTO_ID_PATTERN.test(photoId) ? await tx.photos.byId(photoId) : undefined
  if (!photo || photo.ownerNsid !== user.nsid) throw new FlickrError(notFound)
  return photo
}

/** After members left: an empty set goes (as on Flickr), a set that lost its primary takes its first photo. */
export async function settleAfterRemoval(tx: AlbumTx, set: PhotosetRow): Promise<void> {
  const first = await tx.albums.firstMember(set.id)
  if (first === undefined) await tx.albums.delete(set.id)
  else if ((await tx.albums.positionOf(set.id, set.primaryPhotoId)) === undefined) await tx.albums.setPrimary(set.id, first)
}
