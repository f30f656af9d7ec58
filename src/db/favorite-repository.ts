import { sql, type Kysely, type Transaction } from 'kysely'
import type { PhotoRow } from './photo-repository.js'
import type { Database } from './tables.js'

type Db = Kysely<Database> | Transaction<Database>

export type FavedPhoto = PhotoRow & { dateFaved: number }

/** Users' favourite photos (favorites.*, photos.getFavorites). */
export class FavoriteRepository {
  constructor(readonly db: Db) {}

  /** False when it was a favourite already. */
  async add(userNsid: string, photoId: string, now: number): Promise<boolean> {
    const result = await this.db.insertInto('favorites').values({ userNsid, photoId, dateFaved: now }).onConflict((oc) => oc.columns(['userNsid', 'photoId']).doNothing()).executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
  }

  async remove(userNsid: string, photoId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('favorites').where('userNsid', '=', userNsid).where('photoId', '=', photoId).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async isFavorite(userNsid: string, photoId: string): Promise<boolean> {
    return (await this.db.selectFrom('favorites').select('photoId').where('userNsid', '=', userNsid).where('photoId', '=', photoId).executeTakeFirst()) !== undefined
  }

  /** A user's favourites the viewer may see (others' public ones, or every one of the viewer's own), newest fave first. */
  async list(
    userNsid: string,
    viewerNsid: string | null,
    bounds: { minFaveDate?: number; maxFaveDate?: number; publicOnly?: boolean },
    range: { limit: number; offset: number },
  ): Promise<{ photos: FavedPhoto[]; total: number }> {
    const base = this.db
      .selectFrom('favorites')
      .innerJoin('photos', 'photos.id', 'favorites.photoId')
      .where('favorites.userNsid', '=', userNsid)
      .$if(bounds.minFaveDate !== undefined, (q) => q.where('favorites.dateFaved', '>=', bounds.minFaveDate!))
      .$if(bounds.maxFaveDate !== undefined, (q) => q.where('favorites.dateFaved', '<=', bounds.maxFaveDate!))
      // The visibility rule as a listing filter: public photos, or the viewer's own.
      .where((eb) => (viewerNsid && !bounds.publicOnly ? eb.or([eb('photos.isPublic', '=', 1), eb('photos.ownerNsid', '=', viewerNsid)]) : eb('photos.isPublic', '=', 1)))
    const [photos, count] = await Promise.all([
      base.selectAll('photos').select('favorites.dateFaved').orderBy('favorites.dateFaved', 'desc').orderBy('photos.id', 'desc').limit(range.limit).offset(range.offset).execute(),
      base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ])
    return { photos, total: Number(count.n) }
  }

  /** Who faved a photo, newest first. */
  async favers(photoId: string, range: { limit: number; offset: number }): Promise<{ people: { userNsid: string; username: string; fullname: string; dateFaved: number }[]; total: number }> {
    const base = this.db.selectFrom('favorites').innerJoin('users', 'users.nsid', 'favorites.userNsid').where('favorites.photoId', '=', photoId)
    const [people, count] = await Promise.all([
      base.select(['favorites.userNsid', 'users.username', 'users.fullname', 'favorites.dateFaved']).orderBy('favorites.dateFaved', 'desc').orderBy('favorites.userNsid').limit(range.limit).offset(range.offset).execute(),
      base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ])
    return { people: people.map((p) => ({ ...p, dateFaved: Number(p.dateFaved) })), total: Number(count.n) }
  }
}
