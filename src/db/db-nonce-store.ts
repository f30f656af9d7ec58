import type { Kysely } from 'kysely'
import { nonceExpiry, nonceKey, type NonceStore, type NonceUse } from '../auth/nonce-store.js'
import type { Database } from './tables.js'

export interface DbNonceStoreOptions {
  /** The timestamp window the verifier accepts, in seconds either side of now. */
  windowSeconds: number
  /** Clock in milliseconds, for tests. */
  now?: () => number
}

/**
 * NonceStore in the `oauth_nonces` table, shared by every node on one database: a nonce used on one
 * node is a replay on all of them. The primary key decides races; an expired row under the same key is
 * taken over in the same statement. Expired rows are deleted at most once per window.
 */
export class DbNonceStore implements NonceStore {
  readonly #windowMs: number
  readonly #now: () => number
  #nextPruneAt: number

  constructor(private readonly db: Kysely<Database>, { windowSeconds, now = Date.now }: DbNonceStoreOptions) {
    if (!(windowSeconds > 0)) throw new RangeError('windowSeconds must be positive')
    this.#windowMs = windowSeconds * 1000
    this.#now = now
    this.#nextPruneAt = now() + this.#windowMs
  }

  async checkAndRemember(use: NonceUse): Promise<boolean> {
    if (!Number.isFinite(use.timestamp)) throw new RangeError('timestamp must be a finite number')
    const now = this.#now()
    if (now >= this.#nextPruneAt) await this.#prune(now)
    const result = await this.db
      .insertInto('oauthNonces')
      .values({ nonceKey: nonceKey(use), expiresAt: nonceExpiry(use, now, this.#windowMs) })
      .onConflict((oc) => oc.column('nonceKey').doUpdateSet((eb) => ({ expiresAt: eb.ref('excluded.expiresAt') })).where('oauthNonces.expiresAt', '<=', now))
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
  }

  /** Rows still stored, expired ones included until the next prune (tests). */
  async size(): Promise<number> {
    const row = await this.db.selectFrom('oauthNonces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async #prune(now: number): Promise<void> {
    // Move the mark first, so concurrent calls on this node do not all prune.
    this.#nextPruneAt = now + this.#windowMs
    await this.db.deleteFrom('oauthNonces').where('expiresAt', '<=', now).execute()
  }
}
