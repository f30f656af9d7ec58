import type { Kysely } from 'kysely'
import type { Database } from './tables.js'

export interface UnknownMethodCount {
  method: string
  appName: string
  calls: number
  firstSeen: number
  lastSeen: number
}

/** Counts of unserved methods programs asked for (drop-in mode), read back by `retake report`. */
export class UnknownMethodRepository {
  constructor(readonly db: Kysely<Database>) {}

  async count(method: string, appName: string, now: number): Promise<void> {
    await this.db
      .insertInto('unknownMethodCalls')
      .values({ method, appName, calls: 1, firstSeen: now, lastSeen: now })
      .onConflict((oc) => oc.columns(['method', 'appName']).doUpdateSet((eb) => ({ calls: eb('unknownMethodCalls.calls', '+', 1), lastSeen: now })))
      .execute()
  }

  async all(): Promise<UnknownMethodCount[]> {
    const rows = await this.db.selectFrom('unknownMethodCalls').selectAll().orderBy('calls', 'desc').orderBy('method').orderBy('appName').execute()
    // PostgreSQL hands bigint columns back as strings.
    return rows.map((row) => ({ ...row, calls: Number(row.calls), firstSeen: Number(row.firstSeen), lastSeen: Number(row.lastSeen) }))
  }
}
