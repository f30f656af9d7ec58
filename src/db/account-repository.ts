import type { Kysely, Transaction } from 'kysely'
import type { Database, UsersTable } from './tables.js'

export type Account = UsersTable

/** Users (accounts): who owns photos, apps and tokens. */
export class AccountRepository {
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  async insert(account: Account): Promise<void> {
    await this.db.insertInto('users').values(account).execute()
  }

  byNsid(nsid: string): Promise<Account | undefined> {
    return this.db.selectFrom('users').selectAll().where('nsid', '=', nsid).executeTakeFirst()
  }

  byUsername(username: string): Promise<Account | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
  }

  async setPro(nsid: string, isPro: boolean): Promise<void> {
    await this.db.updateTable('users').set({ isPro: isPro ? 1 : 0 }).where('nsid', '=', nsid).execute()
  }
}
