import type { Kysely, Transaction } from 'kysely'
import type { Database } from './tables.js'

/** Operator switches that change without a restart: the maintenance flag and the URL blocklist. */
export class SettingsRepository {
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
    return row?.value
  }

  async set(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute()
  }

  async blockedHosts(): Promise<string[]> {
    const rows = await this.db.selectFrom('blocklist').select('host').orderBy('host').execute()
    return rows.map((row) => row.host)
  }

  async blockHost(host: string, now: number): Promise<void> {
    await this.db
      .insertInto('blocklist')
      .values({ host, createdAt: now })
      .onConflict((oc) => oc.column('host').doNothing())
      .execute()
  }

  async unblockHost(host: string): Promise<boolean> {
    const result = await this.db.deleteFrom('blocklist').where('host', '=', host).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}
