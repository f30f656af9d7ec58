import type { Account } from '../../db/account-repository.js'
import type { MemberFilter, PhotosetHead, PhotosetView } from '../../db/album-repository.js'
import type { PhotoRow } from '../../db/photo-repository.js'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { canViewSet, listingFilter } from '../photos/visibility.js'
import { inTransaction, lockOwnSet, newPhotosetId, ownPhotoIn, type AlbumDeps } from './album-deps.js'
import { addPhoto, editPhotos, removePhotos, reorderPhotos, setPrimaryPhoto } from './album-membership.js'

export interface PageRange {
  limit: number
  offset: number
}

/** A set's neighbours around one of its photos, as the viewer may see them (photosets.getContext). */
export interface SetContext {
  count: number
  prev?: PhotoRow
  next?: PhotoRow
}

const blank = (text: string) => text.trim() === ''

/**
 * Albums (Flickr's photosets): one service for the REST methods and the web pages. Visibility is the
 * photo rule: a set is seen by whoever may see its primary photo, and lists show only the members the
 * viewer may see. Only the owner changes a set; others get "not found", never "forbidden".
 */
export class AlbumService {
  constructor(readonly deps: AlbumDeps) {}

  /** The owner's sets the viewer may see, in the owner's order; all of them without `range`. */
  list(ownerNsid: string, viewerNsid: string | null, range?: PageRange): Promise<{ sets: PhotosetView[]; total: number }> {
    return this.deps.albums.byOwner(ownerNsid, listingFilter(ownerNsid, viewerNsid).publicOnly, range)
  }

  /** The set if the viewer may see it (its primary photo), counting the members they may see; else 1. */
  async visible(photosetId: string, viewerNsid: string | null): Promise<PhotosetView> {
    const owned = await this.deps.albums.view(photosetId, false)
    if (!owned || !canViewSet(owned.primary, viewerNsid)) throw new FlickrError(methodErrors.photosetNotFound)
    if (listingFilter(owned.ownerNsid, viewerNsid).publicOnly) return (await this.deps.albums.view(photosetId, true)) ?? owned
    return owned
  }

  /** As `visible`, without counting members: for the lists of a set's photos, which count their own. */
  async visibleHead(photosetId: string, viewerNsid: string | null): Promise<PhotosetHead> {
    const set = await this.deps.albums.head(photosetId)
    if (!set || !canViewSet(set.primary, viewerNsid)) throw new FlickrError(methodErrors.photosetNotFound)
    return set
  }

  /** One page of the members the viewer may see, in the set's order; `privacy` narrows the owner's own view. */
  photos(set: PhotosetHead, viewerNsid: string | null, range: PageRange, privacy?: MemberFilter['privacy']): Promise<{ photos: PhotoRow[]; total: number }> {
    const { publicOnly } = listingFilter(set.ownerNsid, viewerNsid)
    return this.deps.albums.members(set.id, range, { publicOnly, privacy: publicOnly ? undefined : privacy })
  }

  /** Neighbours of a visible photo in a visible set; 1 for the photo, 2 when it is not in the set. */
  async context(photosetId: string, photo: PhotoRow, viewerNsid: string | null): Promise<SetContext> {
    const set = await this.visibleHead(photosetId, viewerNsid).catch(() => undefined)
    const position = set && (await this.deps.albums.positionOf(set.id, photo.id))
    if (position === undefined) throw new FlickrError(methodErrors.photoNotInSetContext)
    return this.deps.albums.neighbours(set!.id, position, { publicOnly: listingFilter(set!.ownerNsid, viewerNsid).publicOnly })
  }

  /** The sets holding a photo the viewer may see, only those the viewer may see (getAllContexts). */
  containing(photo: PhotoRow, viewerNsid: string | null): Promise<PhotosetView[]> {
    return this.deps.albums.containing(photo.id, listingFilter(photo.ownerNsid, viewerNsid).publicOnly)
  }

  countOwned(ownerNsid: string): Promise<number> {
    return this.deps.albums.countByOwner(ownerNsid)
  }

  /** A new set, first in the owner's order, holding its primary photo (which must be the caller's: 2). */
  async create(user: Account, input: { title: string; description?: string; primaryPhotoId: string }): Promise<{ id: string }> {
    if (blank(input.title)) throw new FlickrError(methodErrors.noTitle)
    const now = this.deps.clock()
    const id = newPhotosetId()
    await inTransaction(this.deps, async (tx) => {
      const primary = await ownPhotoIn(tx, user, input.primaryPhotoId)
      const position = await tx.albums.firstPosition(user.nsid)
      await tx.albums.insert({
        id,
        ownerNsid: user.nsid,
        primaryPhotoId: primary.id,
        title: input.title,
        description: input.description ?? '',
        position,
        dateCreate: now,
        dateUpdate: now,
      })
    })
    this.deps.setsChanged?.(user.nsid)
    return { id }
  }

  /** A description left out keeps its value (as photos.setMeta does). */
  editMeta(user: Account, photosetId: string, input: { title: string; description?: string }): Promise<void> {
    return inTransaction(this.deps, async (tx) => {
      const set = await lockOwnSet(tx, user, photosetId, this.deps.clock())
      if (blank(input.title)) throw new FlickrError(methodErrors.noTitleToEdit)
      await tx.albums.setMeta(set.id, input.title, input.description ?? set.description)
    })
  }

  async delete(user: Account, photosetId: string): Promise<void> {
    await inTransaction(this.deps, async (tx) => {
      await lockOwnSet(tx, user, photosetId, this.deps.clock())
      await tx.albums.delete(photosetId)
    })
    this.deps.setsChanged?.(user.nsid)
  }

  /** Listed sets first, in the order given; the others after them by id (Flickr's rule). */
  orderSets(user: Account, photosetIds: readonly string[]): Promise<void> {
    return inTransaction(this.deps, async (tx) => {
      const { sets } = await tx.albums.byOwner(user.nsid, false)
      const mine = new Set(sets.map((set) => set.id))
      const listed = [...new Set(photosetIds)]
      if (listed.some((id) => !mine.has(id))) throw new FlickrError(methodErrors.setNotFound)
      const placed = new Set(listed)
      const rest = sets.map((set) => set.id).filter((id) => !placed.has(id)).sort()
      const order = [...listed, ...rest]
      for (const [position, id] of order.entries()) await tx.albums.setPosition(id, position)
    })
  }

  addPhoto(user: Account, photosetId: string, photoId: string): Promise<void> {
    return addPhoto(this.deps, user, photosetId, photoId)
  }

  /** Removing a set's last photo deletes the set, so the owner's set count may change. */
  async removePhotos(user: Account, photosetId: string, photoIds: readonly string[], options: { strict: boolean }): Promise<void> {
    await removePhotos(this.deps, user, photosetId, photoIds, options.strict)
    this.deps.setsChanged?.(user.nsid)
  }

  editPhotos(user: Account, photosetId: string, primaryPhotoId: string, photoIds: readonly string[]): Promise<void> {
    return editPhotos(this.deps, user, photosetId, primaryPhotoId, photoIds)
  }

  reorderPhotos(user: Account, photosetId: string, photoIds: readonly string[]): Promise<void> {
    return reorderPhotos(this.deps, user, photosetId, photoIds)
  }

  setPrimaryPhoto(user: Account, photosetId: string, photoId: string): Promise<void> {
    return setPrimaryPhoto(this.deps, user, photosetId, photoId)
  }
}
