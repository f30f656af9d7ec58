import type { Kysely, Transaction } from 'kysely'
import type { PhotoRow } from './photo-repository.js'
import type { Database, PhotosetsTable } from './tables.js'

export type PhotosetRow = PhotosetsTable

/** A set with what is shown of its primary photo (joined, never copied: a replace moves the secret). */
export interface PhotosetHead extends PhotosetRow {
  primary: Pick<PhotoRow, 'id' | 'ownerNsid' | 'secret' | 'server' | 'isPublic' | 'isFriend' | 'isFamily'>
}

/** A set as its listings show it, with the number of members the asking viewer may see. */
export interface PhotosetView extends PhotosetHead {
  photoCount: number
}

type Db = Kysely<Database> | Transaction<Database>

// Rows per multi-row INSERT: stays far below SQLite's and PostgreSQL's bound-parameter limits.
const INSERT_CHUNK = 500

/**
 * Albums and their ordered members. Writers call `lock` first inside their transaction: the UPDATE takes
 * the set's row lock on PostgreSQL (SQLite runs one transaction at a time), so concurrent changes to one
 * set serialise and positions stay dense (0..n-1) with no duplicate.
 */
export class AlbumRepository {
  constructor(readonly db: Db) {}

  /** Locks the set for this transaction and stamps its update time; undefined when it does not exist. */
  lock(photosetId: string, now: number): Promise<PhotosetRow | undefined> {
    return this.db.updateTable('photosets').set({ dateUpdate: now }).where('id', '=', photosetId).returningAll().executeTakeFirst()
  }

  async insert(set: PhotosetRow): Promise<void> {
    await this.db.insertInto('photosets').values(set).execute()
    await this.db.insertInto('photosetPhotos').values({ photosetId: set.id, photoId: set.primaryPhotoId, position: 0 }).execute()
  }

  /** The position a new set takes: before every other set of its owner. */
  async firstPosition(ownerNsid: string): Promise<number> {
    const row = await this.db.selectFrom('photosets').select((eb) => eb.fn.min<number>('position').as('low')).where('ownerNsid', '=', ownerNsid).executeTakeFirst()
    return row?.low === null || row?.low === undefined ? 0 : Number(row.low) - 1
  }

  /** One set with its primary photo; `publicOnly` counts only public members (listingFilter). */
  async view(photosetId: string, publicOnly: boolean): Promise<PhotosetView | undefined> {
    const [row] = await this.#views(publicOnly).where('s.id', '=', photosetId).execute()
    return row && toView(row)
  }

  /** One set with its primary photo, without counting members (lists of its photos count their own). */
  async head(photosetId: string): Promise<PhotosetHead | undefined> {
    const row = await this.#heads().where('s.id', '=', photosetId).executeTakeFirst()
    return row && toView({ ...row, photoCount: 0 })
  }

  /** The owner's sets in their order; `publicOnly` also hides sets whose primary is not public. */
  async byOwner(ownerNsid: string, publicOnly: boolean, range?: { limit: number; offset: number }): Promise<{ sets: PhotosetView[]; total: number }> {
    const visible = this.#views(publicOnly).where('s.ownerNsid', '=', ownerNsid)
    const listed = visible.orderBy('s.position').orderBy('s.id', 'desc')
    const [rows, count] = await Promise.all([
      (range ? listed.limit(range.limit).offset(range.offset) : listed).execute(),
      this.db
        .selectFrom('photosets as s')
        .innerJoin('photos as p', 'p.id', 's.primaryPhotoId')
        .where('s.ownerNsid', '=', ownerNsid)
        .$if(publicOnly, (q) => q.where('p.isPublic', '=', 1))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ])
    return { sets: rows.map(toView), total: Number(count.n) }
  }

  /** Sets holding the photo, in their owner's order (getAllContexts). */
  async containing(photoId: string, publicOnly: boolean): Promise<PhotosetView[]> {
    const rows = await this.#views(publicOnly)
      .where((eb) => eb.exists(eb.selectFrom('photosetPhotos as h').select('h.photoId').whereRef('h.photosetId', '=', 's.id').where('h.photoId', '=', photoId)))
      .orderBy('s.position')
      .orderBy('s.id', 'desc')
      .execute()
    return rows.map(toView)
  }

  countByOwner(ownerNsid: string): Promise<number> {
    return this.db
      .selectFrom('photosets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ownerNsid', '=', ownerNsid)
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n))
  }

  /** Member photo ids in order. */
  async memberIds(photosetId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('photosetPhotos').select('photoId').where('photosetId', '=', photosetId).orderBy('position').execute()
    return rows.map((row) => row.photoId)
  }

  /** The photo at position 0, if any. */
  async firstMember(photosetId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('photosetPhotos').select('photoId').where('photosetId', '=', photosetId).where('position', '=', 0).executeTakeFirst()
    return row?.photoId
  }

  /** The member's position, or undefined when the photo is not in the set. */
  async positionOf(photosetId: string, photoId: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('photosetPhotos').select('position').where('photosetId', '=', photosetId).where('photoId', '=', photoId).executeTakeFirst()
    return row?.position
  }

  /** Appends at the end (call after `lock`). */
  async append(photosetId: string, photoId: string): Promise<void> {
    const count = await this.db.selectFrom('photosetPhotos').select((eb) => eb.fn.countAll<number>().as('n')).where('photosetId', '=', photosetId).executeTakeFirstOrThrow()
    await this.db.insertInto('photosetPhotos').values({ photosetId, photoId, position: Number(count.n) }).execute()
  }

  /** Removes a member and closes the gap (call after `lock`); false when it was not a member. */
  async removeMember(photosetId: string, photoId: string): Promise<boolean> {
    const position = await this.positionOf(photosetId, photoId)
    if (position === undefined) return false
    await this.db.deleteFrom('photosetPhotos').where('photosetId', '=', photosetId).where('photoId', '=', photoId).execute()
    // Two steps keep (set, position) unique after every row on both engines: park the later members
    // at negative slots, then bring them back one lower.
    const later = this.db.updateTable('photosetPhotos').where('photosetId', '=', photosetId)
    await later.set((eb) => ({ position: eb(eb.neg(eb.ref('position')), '-', 1) })).where('position', '>', position).execute()
    await later.set((eb) => ({ position: eb(eb.neg(eb.ref('position')), '-', 2) })).where('position', '<', 0).execute()
    return true
  }

  /** Replaces the members with `photoIds`, in that order (call after `lock`). */
  async rewriteMembers(photosetId: string, photoIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('photosetPhotos').where('photosetId', '=', photosetId).execute()
    for (let start = 0; start < photoIds.length; start += INSERT_CHUNK) {
      const rows = photoIds.slice(start, start + INSERT_CHUNK).map((photoId, i) => ({ photosetId, photoId, position: start + i }))
      await this.db.insertInto('photosetPhotos').values(rows).execute()
    }
  }

  /** Which of `photoIds` are photos of `ownerNsid` (edits check whole lists at once). */
  async ownedPhotoIds(ownerNsid: string, photoIds: readonly string[]): Promise<Set<string>> {
    const owned = new Set<string>()
    for (let start = 0; start < photoIds.length; start += INSERT_CHUNK) {
      const chunk = photoIds.slice(start, start + INSERT_CHUNK)
      const rows = await this.db.selectFrom('photos').select('id').where('ownerNsid', '=', ownerNsid).where('id', 'in', chunk).execute()
      for (const row of rows) owned.add(row.id)
    }
    return owned
  }

  async setPrimary(photosetId: string, photoId: string): Promise<void> {
    await this.db.updateTable('photosets').set({ primaryPhotoId: photoId }).where('id', '=', photosetId).execute()
  }

  async setMeta(photosetId: string, title: string, description: string): Promise<void> {
    await this.db.updateTable('photosets').set({ title, description }).where('id', '=', photosetId).execute()
  }

  async setPosition(photosetId: string, position: number): Promise<void> {
    await this.db.updateTable('photosets').set({ position }).where('id', '=', photosetId).execute()
  }

  async delete(photosetId: string): Promise<void> {
    await this.db.deleteFrom('photosetPhotos').where('photosetId', '=', photosetId).execute()
    await this.db.deleteFrom('photosets').where('id', '=', photosetId).execute()
  }

  /**
   * A photo being deleted leaves every set, as on Flickr: each set closes the gap, a set that loses its
   * primary takes its first remaining photo, and a set left empty is deleted. Call inside the photo
   * delete's transaction, before the photo row goes.
   */
  async detachPhoto(photoId: string, now: number): Promise<void> {
    const holding = await this.db.selectFrom('photosetPhotos').select('photosetId').where('photoId', '=', photoId).orderBy('photosetId').execute()
    for (const { photosetId } of holding) {
      const set = await this.lock(photosetId, now)
      if (!set) continue
      await this.removeMember(photosetId, photoId)
      const first = await this.firstMember(photosetId)
      if (first === undefined) await this.delete(photosetId)
      else if (set.primaryPhotoId === photoId) await this.setPrimary(photosetId, first)
    }
  }

  /** Members in order with their photo rows; `publicOnly` hides non-public ones (listingFilter). */
  async members(photosetId: string, range: { limit: number; offset: number }, filter: MemberFilter): Promise<{ photos: PhotoRow[]; total: number }> {
    const visible = this.#memberQuery(photosetId, filter)
    const [photos, count] = await Promise.all([
      visible.selectAll('p').orderBy('m.position').limit(range.limit).offset(range.offset).execute(),
      visible.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { photos, total: Number(count.n) }
  }

  /** The visible members just before and after `position`, and how many are visible (getContext). */
  async neighbours(photosetId: string, position: number, filter: MemberFilter): Promise<{ prev?: PhotoRow; next?: PhotoRow; count: number }> {
    const visible = this.#memberQuery(photosetId, filter)
    const [prev, next, count] = await Promise.all([
      visible.selectAll('p').where('m.position', '<', position).orderBy('m.position', 'desc').limit(1).executeTakeFirst(),
      visible.selectAll('p').where('m.position', '>', position).orderBy('m.position').limit(1).executeTakeFirst(),
      visible.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { prev, next, count: Number(count.n) }
  }

  #memberQuery(photosetId: string, filter: MemberFilter) {
    return this.db
      .selectFrom('photosetPhotos as m')
      .innerJoin('photos as p', 'p.id', 'm.photoId')
      .where('m.photosetId', '=', photosetId)
      .$if(filter.publicOnly, (q) => q.where('p.isPublic', '=', 1))
      .$if(filter.privacy !== undefined, (q) =>
        q.where('p.isPublic', '=', filter.privacy!.isPublic).where('p.isFriend', '=', filter.privacy!.isFriend).where('p.isFamily', '=', filter.privacy!.isFamily),
      )
  }

  #heads() {
    return this.db
      .selectFrom('photosets as s')
      .innerJoin('photos as p', 'p.id', 's.primaryPhotoId')
      .selectAll('s')
      .select(['p.secret as primarySecret', 'p.server as primaryServer', 'p.ownerNsid as primaryOwner', 'p.isPublic as primaryIsPublic', 'p.isFriend as primaryIsFriend', 'p.isFamily as primaryIsFamily'])
  }

  #views(publicOnly: boolean) {
    return this.#heads()
      .$if(publicOnly, (q) => q.where('p.isPublic', '=', 1))
      .select((eb) =>
        eb
          .selectFrom('photosetPhotos as c')
          .innerJoin('photos as cp', 'cp.id', 'c.photoId')
          .whereRef('c.photosetId', '=', 's.id')
          .$if(publicOnly, (q) => q.where('cp.isPublic', '=', 1))
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .as('photoCount'),
      )
  }
}

/** Which members a listing shows: the visibility rule's filter, plus the owner's own privacy_filter. */
export interface MemberFilter {
  publicOnly: boolean
  privacy?: { isPublic: number; isFriend: number; isFamily: number }
}

interface ViewRow extends PhotosetRow {
  primarySecret: string
  primaryServer: string
  primaryOwner: string
  primaryIsPublic: number
  primaryIsFriend: number
  primaryIsFamily: number
  photoCount: number | string | null
}

function toView(row: ViewRow): PhotosetView {
  const { primarySecret, primaryServer, primaryOwner, primaryIsPublic, primaryIsFriend, primaryIsFamily, photoCount, ...set } = row
  return {
    ...set,
    primary: { id: set.primaryPhotoId, ownerNsid: primaryOwner, secret: primarySecret, server: primaryServer, isPublic: primaryIsPublic, isFriend: primaryIsFriend, isFamily: primaryIsFamily },
    photoCount: Number(photoCount ?? 0),
  }
}
