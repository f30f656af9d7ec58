import type { Kysely } from 'kysely'

// OAuth nonces shared by every node on one database (DbNonceStore). The primary key is the replay
// check: two nodes inserting the same nonce at once cannot both succeed. Runs on SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oauth_nonces')
    // JSON of [consumer key, token, timestamp, nonce]: unambiguous whatever characters they hold.
    .addColumn('nonce_key', 'text', (c) => c.primaryKey())
    // Milliseconds since the epoch after which the nonce's timestamp can no longer pass the window.
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('oauth_nonces_expires').on('oauth_nonces').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oauth_nonces').ifExists().execute()
}
