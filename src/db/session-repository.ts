import type { Kysely } from 'kysely'
import type { Database } from './tables.js'

export interface WebSessionsTable {
  id: string
  data: string
  /** Unix seconds */
  expiresAt: number
}

// Declared here rather than in tables.ts so the web app's table stays in its own files.
declare module './tables.js' {
  interface Database {
    webSessions: WebSessionsTable
  }
}

/** Browser sessions by id: rows past their expiry are never returned and are swept on writes. */
export class SessionRepository {
  constructor(readonly db: Kysely<Database>) {}

  async get(id: string, now: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('webSessions').select('data').where('id', '=', id).where('expiresAt', '>', now).executeTakeFirst()
    return row?.data
  }

  async put(id: string, data: string, expiresAt: number): Promise<void> {
    await this.db
      .insertInto('webSessions')
      .values({ id, data, expiresAt })
      .onConflict((oc) => oc.column('id').doUpdateSet({ data, expiresAt }))
      .execute()
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('webSessions').where('id', '=', id).execute()
  }

  async deleteExpired(now: number): Promise<void> {
    await this.db.deleteFrom('webSessions').where('expiresAt', '<=', now).execute()
  }
}
