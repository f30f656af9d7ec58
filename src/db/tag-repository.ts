import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './tables.js'

type Db = Kysely<Database> | Transaction<Database>

/** A user's tags across their photos (tags.getListUser*), over the photos the viewer may see. */
export class TagRepository {
  constructor(readonly db: Db) {}

  #userTags(ownerNsid: string, publicOnly: boolean) {
    return this.db
      .selectFrom('photoTags')
      .innerJoin('photos', 'photos.id', 'photoTags.photoId')
      .where('photos.ownerNsid', '=', ownerNsid)
      .$if(publicOnly, (q) => q.where('photos.isPublic', '=', 1))
      .where('photoTags.clean', '<>', '')
  }

  /** Distinct clean tags; sorted by the caller (JavaScript string order on both engines). */
  async clean(ownerNsid: string, publicOnly: boolean): Promise<string[]> {
    const rows = await this.#userTags(ownerNsid, publicOnly).select('photoTags.clean').distinct().execute()
    return rows.map((row) => row.clean)
  }

  /** Every raw form of each clean tag (optionally of one clean tag). */
  async raw(ownerNsid: string, clean?: string): Promise<{ clean: string; raw: string }[]> {
    return this.#userTags(ownerNsid, false)
      .$if(clean !== undefined, (q) => q.where('photoTags.clean', '=', clean!))
      .select(['photoTags.clean', 'photoTags.raw'])
      .distinct()
      .execute()
  }

  /** The `count` most used clean tags with their use counts. */
  async popular(ownerNsid: string, publicOnly: boolean, count: number): Promise<{ clean: string; n: number }[]> {
    const rows = await this.#userTags(ownerNsid, publicOnly)
      .select(['photoTags.clean', sql<number>`count(*)`.as('n')])
      .groupBy('photoTags.clean')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('photoTags.clean')
      .limit(count)
      .execute()
    return rows.map((row) => ({ clean: row.clean, n: Number(row.n) }))
  }
}
