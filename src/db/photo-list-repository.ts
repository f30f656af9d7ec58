import { sql, type Kysely, type Transaction } from 'kysely'
import type { PhotoFileRow, PhotoRow, PhotoTagRow } from './photo-repository.js'
import type { Database } from './tables.js'

type Db = Kysely<Database> | Transaction<Database>

/** What a list needs of a size file: which photo revision it belongs to and its dimensions. */
export type SizeRow = Pick<PhotoFileRow, 'photoId' | 'revision' | 'suffix' | 'width' | 'height'>

/** Filters the owner may add to a list of their own photos (getNotInSet, photosets.getPhotos). */
export interface OwnListFilter {
  minUploadDate?: number
  maxUploadDate?: number
  /** Exact visibility flags (privacy_filter) */
  privacy?: { isPublic: number; isFriend: number; isFamily: number }
}

/** The photostream figures people.getInfo shows for the photos a viewer may see. */
export interface PhotostreamStats {
  count: number
  firstDatePosted: number | null
  firstDateTaken: string | null
}

/**
 * Queries the photo lists and contexts share: batch lookups for a page of photos (files for `url_*`
 * extras, tags), photostream neighbours and figures, and the owner's photos in no set.
 */
export class PhotoListRepository {
  constructor(readonly db: Db) {}

  /** Files of many photos at once, limited to `suffixes`; callers keep the rows of each photo's revision. */
  async filesFor(photos: readonly Pick<PhotoRow, 'id'>[], suffixes: readonly string[]): Promise<SizeRow[]> {
    if (photos.length === 0 || suffixes.length === 0) return []
    return this.db
      .selectFrom('photoFiles')
      .select(['photoId', 'revision', 'suffix', 'width', 'height'])
      .where(
        'photoId',
        'in',
        photos.map((photo) => photo.id),
      )
      .where('suffix', 'in', [...suffixes])
      .execute()
  }

  async tagsFor(photos: readonly Pick<PhotoRow, 'id'>[]): Promise<PhotoTagRow[]> {
    if (photos.length === 0) return []
    return this.db
      .selectFrom('photoTags')
      .selectAll()
      .where(
        'photoId',
        'in',
        photos.map((photo) => photo.id),
      )
      .orderBy('photoId')
      .orderBy('position')
      .execute()
  }

  /** Older (prev) and newer (next) neighbours in the owner's photostream, as Flickr orders them. */
  async photostreamNeighbours(photo: Pick<PhotoRow, 'id' | 'ownerNsid' | 'datePosted'>, publicOnly: boolean): Promise<{ prev?: PhotoRow; next?: PhotoRow }> {
    const stream = this.#stream(photo.ownerNsid, publicOnly).selectAll()
    const [prev, next] = await Promise.all([
      stream
        .where((eb) => eb.or([eb('datePosted', '<', photo.datePosted), eb.and([eb('datePosted', '=', photo.datePosted), eb('id', '<', photo.id)])]))
        .orderBy('datePosted', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
      stream
        .where((eb) => eb.or([eb('datePosted', '>', photo.datePosted), eb.and([eb('datePosted', '=', photo.datePosted), eb('id', '>', photo.id)])]))
        .orderBy('datePosted')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst(),
    ])
    return { prev, next }
  }

  async photostreamStats(ownerNsid: string, publicOnly: boolean): Promise<PhotostreamStats> {
    const row = await this.#stream(ownerNsid, publicOnly)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('datePosted').as('firstPosted'), eb.fn.min<string>('dateTaken').as('firstTaken')])
      .executeTakeFirstOrThrow()
    return { count: Number(row.n), firstDatePosted: row.firstPosted === null ? null : Number(row.firstPosted), firstDateTaken: row.firstTaken ?? null }
  }

  /** The owner's photos that are in none of their sets, newest first (getNotInSet). */
  async notInSet(ownerNsid: string, filter: OwnListFilter, range: { limit: number; offset: number }): Promise<{ photos: PhotoRow[]; total: number }> {
    const query = this.#stream(ownerNsid, false)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('photosetPhotos as m').select('m.photoId').whereRef('m.photoId', '=', 'photos.id'))))
      .$if(filter.minUploadDate !== undefined, (q) => q.where('datePosted', '>=', filter.minUploadDate!))
      .$if(filter.maxUploadDate !== undefined, (q) => q.where('datePosted', '<=', filter.maxUploadDate!))
      .$if(filter.privacy !== undefined, (q) =>
        q.where('isPublic', '=', filter.privacy!.isPublic).where('isFriend', '=', filter.privacy!.isFriend).where('isFamily', '=', filter.privacy!.isFamily),
      )
    const [photos, count] = await Promise.all([
      query.selectAll().orderBy('datePosted', 'desc').orderBy('id', 'desc').limit(range.limit).offset(range.offset).execute(),
      query.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ])
    return { photos, total: Number(count.n) }
  }

  #stream(ownerNsid: string, publicOnly: boolean) {
    return this.db
      .selectFrom('photos')
      .where('ownerNsid', '=', ownerNsid)
      .$if(publicOnly, (q) => q.where('isPublic', '=', 1))
  }
}
