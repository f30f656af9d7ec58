import { sql } from 'kysely'
import type { DatabaseHandle } from './database.js'

/**
 * Runs `work` unless another node already runs work under the same key, and reports whether it ran.
 * On PostgreSQL a session advisory lock is taken with pg_try_advisory_lock on one pooled connection,
 * held for the duration and released on it (a node that dies releases it with its connection). On
 * SQLite there is one node, so `work` just runs. The work itself must stay safe if two run anyway
 * (a lock lost with a dropped connection): the sweeps only delete what is due, idempotently.
 */
export async function onOneNode(database: DatabaseHandle, key: bigint, work: () => Promise<void>): Promise<boolean> {
  if (database.engine !== 'postgres') {
    await work()
    return true
  }
  return database.db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${key.toString()}::bigint) AS locked`.execute(connection)
    if (!rows[0]?.locked) return false
    try {
      await work()
      return true
    } finally {
      await sql`SELECT pg_advisory_unlock(${key.toString()}::bigint)`.execute(connection)
    }
  })
}
