import type { Kysely } from 'kysely'

// Browser sessions of the web app, in the database so every node behind a balancer sees the same ones.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('web_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The session as @fastify/session serialises it (JSON): the account and the CSRF secret.
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('web_sessions_expires').on('web_sessions').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('web_sessions').ifExists().execute()
}
