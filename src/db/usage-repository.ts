import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './tables.js'

export interface AccountUsage {
  photos: number
  nonPublicPhotos: number
  bytesThisMonth: number
}

/** `YYYY-MM` of a unix time, in UTC: the month upload bandwidth is counted in. */
export function usageMonth(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 7)
}

/** What an account has used against its plan: photos held and bytes uploaded this month. */
export class UsageRepository {
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  async usage(userNsid: string, now: number): Promise<AccountUsage> {
    const [counts, month] = await Promise.all([
      this.db
        .selectFrom('photos')
        .select([
          sql<number>`count(*)`.as('photos'),
          sql<number>`coalesce(sum(case when ${sql.ref('is_public')} = 0 then 1 else 0 end), 0)`.as('nonPublic'),
        ])
        .where('ownerNsid', '=', userNsid)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('uploadUsage')
        .select('bytes')
        .where('userNsid', '=', userNsid)
        .where('month', '=', usageMonth(now))
        .executeTakeFirst(),
    ])
    return { photos: Number(counts.photos), nonPublicPhotos: Number(counts.nonPublic), bytesThisMonth: Number(month?.bytes ?? 0) }
  }

  /** Adds to this month's uploaded bytes; call inside the transaction that stores the photo. */
  async addBytes(userNsid: string, bytes: number, now: number): Promise<void> {
    const month = usageMonth(now)
    await this.db
      .insertInto('uploadUsage')
      .values({ userNsid, month, bytes })
      .onConflict((oc) => oc.columns(['userNsid', 'month']).doUpdateSet({ bytes: sql`${sql.ref('upload_usage.bytes')} + ${bytes}` }))
      .execute()
  }
}
