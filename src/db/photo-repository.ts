import type { Kysely, Transaction } from 'kysely'
import { machineColumns } from '../domain/photos/tags.js'
import type { Database, PhotoFilesTable, PhotosTable, PhotoTagsTable } from './tables.js'

export type PhotoRow = PhotosTable
export type PhotoFileRow = PhotoFilesTable
export type PhotoTagRow = PhotoTagsTable
/** A tag as callers write it; the machine-tag columns are derived from `clean` here. */
export type NewTagRow = Omit<PhotoTagRow, 'mtNamespace' | 'mtPredicate' | 'mtValue'>

/** Columns with database defaults (issue 9): an insert may leave them out. */
type DefaultedPhotoFields = 'license' | 'latitude' | 'longitude' | 'accuracy' | 'geoContext' | 'permComment' | 'permAddmeta'
export type NewPhotoRow = Omit<PhotoRow, DefaultedPhotoFields> & Partial<Pick<PhotoRow, DefaultedPhotoFields>>

const PHOTO_DEFAULTS: Pick<PhotoRow, DefaultedPhotoFields> = { license: 0, latitude: null, longitude: null, accuracy: 0, geoContext: 0, permComment: 3, permAddmeta: 2 }

const withMachineColumns = (tag: NewTagRow): PhotoTagRow => ({ ...tag, ...machineColumns(tag.clean) })

/** The pixel-related columns a replace changes; everything else about a photo is kept. */
export type PhotoRevisionFields = Pick<
  PhotosTable,
  'secret' | 'originalSecret' | 'secretH' | 'secretK' | 'originalFormat' | 'width' | 'height' | 'originalBytes' | 'originalSha256' | 'lastUpdate'
>

/** Photos, their files per revision, and tags. Services choose the transaction boundaries. */
export class PhotoRepository {
  constructor(readonly db: Kysely<Database> | Transaction<Database>) {}

  byId(id: string): Promise<PhotoRow | undefined> {
    return this.db.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** The file a URL names, only if it belongs to the photo's current revision. */
  currentFile(photoId: string, suffix: string): Promise<(PhotoFileRow & { photo: PhotoRow }) | undefined> {
    return this.db
      .selectFrom('photos')
      .innerJoin('photoFiles', (join) =>
        join.onRef('photoFiles.photoId', '=', 'photos.id').onRef('photoFiles.revision', '=', 'photos.revision'),
      )
      .selectAll('photos')
      .select(['photoFiles.suffix', 'photoFiles.blobKey', 'photoFiles.bytes', 'photoFiles.width as fileWidth', 'photoFiles.height as fileHeight'])
      .where('photos.id', '=', photoId)
      .where('photoFiles.suffix', '=', suffix)
      .executeTakeFirst()
      .then((row) => {
        if (!row) return undefined
        const { suffix: fileSuffix, blobKey, bytes, fileWidth, fileHeight, ...photo } = row
        return { photoId, revision: photo.revision, suffix: fileSuffix, blobKey, bytes, width: fileWidth, height: fileHeight, photo }
      })
  }

  files(photoId: string, revision: number): Promise<PhotoFileRow[]> {
    return this.db.selectFrom('photoFiles').selectAll().where('photoId', '=', photoId).where('revision', '=', revision).execute()
  }

  tags(photoId: string): Promise<PhotoTagRow[]> {
    return this.db.selectFrom('photoTags').selectAll().where('photoId', '=', photoId).orderBy('position').execute()
  }

  async insert(photo: NewPhotoRow, files: PhotoFileRow[], tags: NewTagRow[]): Promise<void> {
    // Left-out fields take the migration's defaults (the same values written out here).
    await this.db.insertInto('photos').values({ ...PHOTO_DEFAULTS, ...photo }).execute()
    if (files.length > 0) await this.db.insertInto('photoFiles').values(files).execute()
    if (tags.length > 0) await this.db.insertInto('photoTags').values(tags.map(withMachineColumns)).execute()
  }

  /**
   * Points the photo at a new revision's files in one statement sequence (call inside a transaction):
   * bumps the revision (the UPDATE takes the row lock on PostgreSQL, so racing swaps serialize),
   * replaces the file rows, and returns the blob keys the old revision used.
   * Resolves undefined when the photo no longer exists.
   */
  async swapRevision(photoId: string, fields: PhotoRevisionFields, newFiles: Omit<PhotoFileRow, 'revision'>[]): Promise<{ revision: number; oldKeys: string[] } | undefined> {
    const updated = await this.db
      .updateTable('photos')
      .set((eb) => ({ ...fields, revision: eb('revision', '+', 1) }))
      .where('id', '=', photoId)
      .returning('revision')
      .executeTakeFirst()
    if (!updated) return undefined
    const old = await this.db.selectFrom('photoFiles').select('blobKey').where('photoId', '=', photoId).execute()
    await this.db.deleteFrom('photoFiles').where('photoId', '=', photoId).execute()
    if (newFiles.length > 0) {
      await this.db.insertInto('photoFiles').values(newFiles.map((file) => ({ ...file, revision: updated.revision }))).execute()
    }
    return { revision: updated.revision, oldKeys: old.map((row) => row.blobKey) }
  }

  /** Deletes the photo and its rows; returns the blob keys it used. */
  async delete(photoId: string): Promise<string[]> {
    const files = await this.db.selectFrom('photoFiles').select('blobKey').where('photoId', '=', photoId).execute()
    await this.db.deleteFrom('photoTags').where('photoId', '=', photoId).execute()
    await this.db.deleteFrom('photoFiles').where('photoId', '=', photoId).execute()
    await this.db.deleteFrom('photos').where('id', '=', photoId).execute()
    return files.map((row) => row.blobKey)
  }

  async setMeta(photoId: string, title: string, description: string, now: number): Promise<void> {
    await this.db.updateTable('photos').set({ title, description, lastUpdate: now }).where('id', '=', photoId).execute()
  }

  async setTags(photoId: string, tags: Omit<NewTagRow, 'photoId' | 'position'>[], now: number): Promise<void> {
    await this.db.deleteFrom('photoTags').where('photoId', '=', photoId).execute()
    if (tags.length > 0) {
      await this.db.insertInto('photoTags').values(tags.map((tag, position) => withMachineColumns({ ...tag, photoId, position }))).execute()
    }
    await this.db.updateTable('photos').set({ lastUpdate: now }).where('id', '=', photoId).execute()
  }

  /** Appends tags after the last position (ids of existing tags stay as they were). */
  async appendTags(photoId: string, tags: Omit<NewTagRow, 'photoId' | 'position'>[], now: number): Promise<void> {
    const last = await this.db.selectFrom('photoTags').select((eb) => eb.fn.max<number>('position').as('p')).where('photoId', '=', photoId).executeTakeFirst()
    const start = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1
    if (tags.length > 0) {
      await this.db.insertInto('photoTags').values(tags.map((tag, i) => withMachineColumns({ ...tag, photoId, position: start + i }))).execute()
    }
    await this.db.updateTable('photos').set({ lastUpdate: now }).where('id', '=', photoId).execute()
  }

  /** Removes one tag; false when there was none at that position. */
  async removeTag(photoId: string, position: number, now: number): Promise<boolean> {
    const removed = await this.db.deleteFrom('photoTags').where('photoId', '=', photoId).where('position', '=', position).executeTakeFirst()
    if (Number(removed.numDeletedRows) === 0) return false
    await this.db.updateTable('photos').set({ lastUpdate: now }).where('id', '=', photoId).execute()
    return true
  }

  /** Updates plain photo fields (dates, permissions, levels, licence, geotag) and lastUpdate. */
  async updateFields(photoId: string, fields: Partial<Omit<PhotoRow, 'id' | 'ownerNsid' | 'revision'>>, now: number): Promise<void> {
    await this.db.updateTable('photos').set({ ...fields, lastUpdate: fields.lastUpdate ?? now }).where('id', '=', photoId).execute()
  }

  /** The owner's photos (or only the public ones), newest first, one page; and the total count. */
  async byOwner(ownerNsid: string, page: number, perPage: number, options: { publicOnly?: boolean } = {}): Promise<{ photos: PhotoRow[]; total: number }> {
    const mine = this.db.selectFrom('photos').where('ownerNsid', '=', ownerNsid)
    const visible = options.publicOnly ? mine.where('isPublic', '=', 1) : mine
    const [photos, count] = await Promise.all([
      visible
        .selectAll()
        .orderBy('datePosted', 'desc')
        .orderBy('id', 'desc')
        .limit(perPage)
        .offset((page - 1) * perPage)
        .execute(),
      visible.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { photos, total: Number(count.n) }
  }

  /** Whether any photo file row claims the key (the sweeper's safety check). */
  async isKeyReferenced(blobKey: string): Promise<boolean> {
    const row = await this.db.selectFrom('photoFiles').select('photoId').where('blobKey', '=', blobKey).executeTakeFirst()
    return row !== undefined
  }
}
