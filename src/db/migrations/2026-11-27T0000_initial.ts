import type { Kysely } from 'kysely'

// Runs on SQLite and PostgreSQL alike: only text/integer/bigint columns, no engine-specific defaults.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('nsid', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('fullname', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('is_pro', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('apps')
    .addColumn('api_key', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_nsid', 'text', (c) => c.notNull().references('users.nsid'))
    .addColumn('callback_url', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('request_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('api_key', 'text', (c) => c.notNull())
    .addColumn('callback', 'text', (c) => c.notNull())
    .addColumn('perms', 'text')
    .addColumn('verifier', 'text')
    .addColumn('user_nsid', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('access_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('api_key', 'text', (c) => c.notNull())
    .addColumn('user_nsid', 'text', (c) => c.notNull())
    .addColumn('perms', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('access_tokens_user').on('access_tokens').column('user_nsid').execute()

  await db.schema
    .createTable('frobs')
    .addColumn('frob', 'text', (c) => c.primaryKey())
    .addColumn('api_key', 'text', (c) => c.notNull())
    .addColumn('perms', 'text')
    .addColumn('user_nsid', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('blocklist')
    .addColumn('host', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_nsid', 'text', (c) => c.notNull().references('users.nsid'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('server', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('original_secret', 'text', (c) => c.notNull())
    .addColumn('secret_h', 'text', (c) => c.notNull())
    .addColumn('secret_k', 'text', (c) => c.notNull())
    .addColumn('original_format', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('original_bytes', 'bigint', (c) => c.notNull())
    .addColumn('original_sha256', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull())
    .addColumn('is_friend', 'integer', (c) => c.notNull())
    .addColumn('is_family', 'integer', (c) => c.notNull())
    .addColumn('safety_level', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'integer', (c) => c.notNull())
    .addColumn('hidden', 'integer', (c) => c.notNull())
    .addColumn('date_posted', 'bigint', (c) => c.notNull())
    .addColumn('date_taken', 'text', (c) => c.notNull())
    .addColumn('date_taken_granularity', 'integer', (c) => c.notNull())
    .addColumn('last_update', 'bigint', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('photos_owner_posted').on('photos').columns(['owner_nsid', 'date_posted']).execute()

  await db.schema
    .createTable('photo_files')
    .addColumn('photo_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('suffix', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('photo_files_pk', ['photo_id', 'revision', 'suffix'])
    .execute()

  await db.schema
    .createTable('photo_tags')
    .addColumn('photo_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('clean', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('photo_tags_pk', ['photo_id', 'position'])
    .execute()

  await db.schema
    .createTable('upload_usage')
    .addColumn('user_nsid', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('upload_usage_pk', ['user_nsid', 'month'])
    .execute()

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_nsid', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('photo_id', 'text')
    .addColumn('staged_path', 'text')
    .addColumn('job_payload', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'integer')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute()
  await db.schema.createIndex('tickets_completed').on('tickets').column('completed_at').execute()

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('jobs_ready').on('jobs').columns(['state', 'run_at']).execute()

  // Blob intents: keys that must be deleted unless a committed photo revision claims them.
  // Written before new blobs are stored and, for old blobs, in the swap transaction (crash safety).
  await db.schema
    .createTable('blob_garbage')
    .addColumn('blob_key', 'text', (c) => c.primaryKey())
    .addColumn('not_before', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['blob_garbage', 'jobs', 'tickets', 'upload_usage', 'photo_tags', 'photo_files', 'photos', 'settings', 'blocklist', 'frobs', 'access_tokens', 'request_tokens', 'apps', 'users']) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
