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

  /**
   * Takes the intents of a revision being committed, but only those not yet due: a due intent may be
   * swept at any moment (it outlived its grace, or a later attempt of the same job released it). Returns
   * how many were taken; fewer than `keys.length` means the revision must not be committed.
   */
  async claim(keys: string[], now: number): Promise<number> {
    if (keys.length === 0) return 0
    const result = await this.db.deleteFrom('blobGarbage').where('blobKey', 'in', keys).where('notBefore', '>', now).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  /** Makes every intent whose key starts with `prefix` due now (and so unclaimable); returns their keys. */
  async releasePrefix(prefix: string, now: number): Promise<string[]> {
    // LIKE has no portable escape (SQLite has no default one): key prefixes never hold its wildcards.
    if (/[\\%_]/.test(prefix)) throw new Error(`blob key prefix ${prefix} holds a LIKE wildcard`)
    const rows = await this.db
      .updateTable('blobGarbage')
      .set({ notBefore: now })
      .where('blobKey', 'like', `${prefix}%`)
      .returning('blobKey')
      .execute()
    return rows.map((row) => row.blobKey)
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
