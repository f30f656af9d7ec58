import type { Kysely } from 'kysely'

// Counts of API methods programs called that Retake does not serve (drop-in mode), per method and
// app name, so `retake report unknown-methods` can read them from another process. No credentials.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('unknown_method_calls')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('app_name', 'text', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('unknown_method_calls_pk', ['method', 'app_name'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('unknown_method_calls').ifExists().execute()
}
