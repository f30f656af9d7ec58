import type { Kysely, Transaction } from 'kysely'
import type { AppsTable, Database } from './tables.js'

export type App = AppsTable

/** API keys (OAuth consumers). */
export class AppRepository {
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  async insert(app: App): Promise<void> {
    await this.db.insertInto('apps').values(app).execute()
  }

  byKey(apiKey: string): Promise<App | undefined> {
    return this.db.selectFrom('apps').selectAll().where('apiKey', '=', apiKey).executeTakeFirst()
  }
}
