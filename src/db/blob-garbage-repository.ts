import type { Kysely, Transaction } from 'kysely'
import type { Database } from './tables.js'

/**
 * Blob keys to delete unless a committed photo revision claims them: new keys are recorded before
 * their bytes are written (so a crash mid-replace leaves no orphan behind), old keys inside the swap
 * transaction (so they are deleted once, after commit).
 */
export class BlobGarbageRepository {
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  async add(keys: string[], notBefore: number): Promise<void> {
    if (keys.length === 0) return
    await this.db
      .insertInto('blobGarbage')
      .values(keys.map((blobKey) => ({ blobKey, notBefore })))
      .onConflict((oc) => oc.column('blobKey').doUpdateSet({ notBefore }))
      .execute()
  }

  async remove(keys: string[]): Promise<void> {
    if (keys.length === 0) return
    await this.db.deleteFrom('blobGarbage').where('blobKey', 'in', keys).execute()
  }

  async due(now: number, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('blobGarbage').select('blobKey').where('notBefore', '<=', now).orderBy('notBefore').limit(limit).execute()
    return rows.map((row) => row.blobKey)
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('blobGarbage').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
