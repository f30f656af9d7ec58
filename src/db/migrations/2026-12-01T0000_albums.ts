import type { Kysely } from 'kysely'

// Albums (Flickr's photosets) and their members. Runs on SQLite and PostgreSQL alike.
// Membership order is dense (0..n-1) per set: the primary key forbids a photo twice in one set, the
// unique (photoset_id, position) forbids two photos in one slot, and writers serialise on the set row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('photosets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_nsid', 'text', (c) => c.notNull().references('users.nsid'))
    // No cascade: a photo delete must pick another primary (or drop the set) first.
    .addColumn('primary_photo_id', 'text', (c) => c.notNull().references('photos.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // The owner's order of sets (orderSets); new sets take the lowest value so they come first.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('date_create', 'bigint', (c) => c.notNull())
    .addColumn('date_update', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('photosets_owner_position').on('photosets').columns(['owner_nsid', 'position']).execute()
  await db.schema.createIndex('photosets_primary').on('photosets').column('primary_photo_id').execute()

  await db.schema
    .createTable('photoset_photos')
    .addColumn('photoset_id', 'text', (c) => c.notNull().references('photosets.id').onDelete('cascade'))
    .addColumn('photo_id', 'text', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('photoset_photos_pk', ['photoset_id', 'photo_id'])
    .addUniqueConstraint('photoset_photos_position', ['photoset_id', 'position'])
    .execute()
  await db.schema.createIndex('photoset_photos_photo').on('photoset_photos').column('photo_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('photoset_photos').ifExists().execute()
  await db.schema.dropTable('photosets').ifExists().execute()
}
