import type { Kysely } from 'kysely'
import type { App } from './app-repository.js'
import type { Database, Perms } from './tables.js'

export interface AppGrant {
  apiKey: string
  name: string
  /** The widest permission among the user's live tokens for this app */
  perms: Perms[]
  since: number
}

/** The account page's view of apps: those a user owns, and those holding live tokens for them. */
export class AppGrantRepository {
  constructor(readonly db: Kysely<Database>) {}

  owned(ownerNsid: string): Promise<App[]> {
    return this.db.selectFrom('apps').selectAll().where('ownerNsid', '=', ownerNsid).orderBy('createdAt', 'desc').execute()
  }

  async granted(userNsid: string): Promise<AppGrant[]> {
    const rows = await this.db
      .selectFrom('accessTokens as t')
      .innerJoin('apps as a', 'a.apiKey', 't.apiKey')
      .select(['t.apiKey', 'a.name', 't.perms', 't.createdAt'])
      .where('t.userNsid', '=', userNsid)
      .where('t.revoked', '=', 0)
      .orderBy('t.createdAt')
      .execute()
    const byApp = new Map<string, AppGrant>()
    for (const row of rows) {
      const grant = byApp.get(row.apiKey) ?? { apiKey: row.apiKey, name: row.name, perms: [], since: row.createdAt }
      if (!grant.perms.includes(row.perms)) grant.perms.push(row.perms)
      byApp.set(row.apiKey, grant)
    }
    return [...byApp.values()]
  }

  /** Revokes every live token the user gave this app; returns them so caches can forget them. */
  async revokeAll(userNsid: string, apiKey: string): Promise<string[]> {
    return this.db.transaction().execute(async (tx) => {
      const live = await tx.selectFrom('accessTokens').select('token').where('userNsid', '=', userNsid).where('apiKey', '=', apiKey).where('revoked', '=', 0).execute()
      if (live.length === 0) return []
      const tokens = live.map((row) => row.token)
      await tx.updateTable('accessTokens').set({ revoked: 1 }).where('token', 'in', tokens).execute()
      return tokens
    })
  }
}
