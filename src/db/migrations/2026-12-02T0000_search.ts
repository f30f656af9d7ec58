import type { Kysely } from 'kysely'
import { machineTagParts } from '../../domain/photos/tags.js'

// Search, tags, photo fields and favourites (issue 9). Runs on SQLite and PostgreSQL alike.
// Machine tags are split into their parts when written, so `machine_tags` searches (including the
// `*:pred=value` wildcards) are equality lookups on an index instead of LIKE scans.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('photos').addColumn('license', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  // Geotag: latitude/longitude null when the photo has none (accuracy then 0).
  await db.schema.alterTable('photos').addColumn('latitude', 'double precision').execute()
  await db.schema.alterTable('photos').addColumn('longitude', 'double precision').execute()
  await db.schema.alterTable('photos').addColumn('accuracy', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('photos').addColumn('geo_context', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  // setPerms' comment/addmeta permissions (3 everybody, 2 contacts: Flickr's defaults).
  await db.schema.alterTable('photos').addColumn('perm_comment', 'integer', (c) => c.notNull().defaultTo(3)).execute()
  await db.schema.alterTable('photos').addColumn('perm_addmeta', 'integer', (c) => c.notNull().defaultTo(2)).execute()

  await db.schema.alterTable('photo_tags').addColumn('mt_namespace', 'text').execute()
  await db.schema.alterTable('photo_tags').addColumn('mt_predicate', 'text').execute()
  await db.schema.alterTable('photo_tags').addColumn('mt_value', 'text').execute()
  // Tags written before this migration: split the machine tags among them (few rows; done in code
  // so both engines run the same statements).
  const rows = await db.selectFrom('photo_tags').select(['photo_id', 'position', 'clean']).where('clean', 'like', '%:%=%').execute()
  for (const row of rows) {
    const parts = machineTagParts(String(row.clean))
    if (!parts) continue
    await db
      .updateTable('photo_tags')
      .set({ mt_namespace: parts.namespace, mt_predicate: parts.predicate, mt_value: parts.value })
      .where('photo_id', '=', (row as Record<string, unknown>).photoId ?? row.photo_id)
      .where('position', '=', row.position)
      .execute()
  }

  await db.schema.createIndex('photo_tags_clean').on('photo_tags').columns(['clean', 'photo_id']).execute()
  await db.schema.createIndex('photo_tags_machine').on('photo_tags').columns(['mt_namespace', 'mt_predicate', 'mt_value']).execute()
  await db.schema.createIndex('photo_tags_machine_predicate').on('photo_tags').columns(['mt_predicate', 'mt_value']).execute()
  await db.schema.createIndex('photo_tags_machine_value').on('photo_tags').column('mt_value').execute()

  await db.schema.createIndex('photos_owner_taken').on('photos').columns(['owner_nsid', 'date_taken']).execute()
  await db.schema.createIndex('photos_owner_updated').on('photos').columns(['owner_nsid', 'last_update']).execute()
  // Everybody's public photos, newest first (search without user_id, getRecent).
  await db.schema.createIndex('photos_public_posted').on('photos').columns(['is_public', 'date_posted']).execute()
  await db.schema.createIndex('photos_public_taken').on('photos').columns(['is_public', 'date_taken']).execute()

  await db.schema
    .createTable('favorites')
    .addColumn('user_nsid', 'text', (c) => c.notNull().references('users.nsid'))
    .addColumn('photo_id', 'text', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    .addColumn('date_faved', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('favorites_pk', ['user_nsid', 'photo_id'])
    .execute()
  await db.schema.createIndex('favorites_user_date').on('favorites').columns(['user_nsid', 'date_faved']).execute()
  await db.schema.createIndex('favorites_photo_date').on('favorites').columns(['photo_id', 'date_faved']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('favorites').ifExists().execute()
  for (const index of ['photo_tags_clean', 'photo_tags_machine', 'photo_tags_machine_predicate', 'photo_tags_machine_value', 'photos_owner_taken', 'photos_owner_updated', 'photos_public_posted', 'photos_public_taken']) {
    await db.schema.dropIndex(index).ifExists().execute()
  }
  for (const column of ['mt_namespace', 'mt_predicate', 'mt_value']) await db.schema.alterTable('photo_tags').dropColumn(column).execute()
  for (const column of ['license', 'latitude', 'longitude', 'accuracy', 'geo_context', 'perm_comment', 'perm_addmeta']) await db.schema.alterTable('photos').dropColumn(column).execute()
}
