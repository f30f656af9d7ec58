import { BlobGarbageRepository } from '../../db/blob-garbage-repository.js'
import { PhotoRepository } from '../../db/photo-repository.js'
import { deleteReleasedBlobs } from '../../domain/photos/photo-revision.js'
import { defineMethod } from '../registry.js'
import { API_KEY_ARG, ownPhoto, PHOTO_ID_ARG, PHOTO_NOT_FOUND, photoNotFound } from './photo-access.js'

export const photosDelete = defineMethod({
  name: 'flickr.photos.delete',
  description: 'Delete a photo from Flickr.',
  perms: 'delete',
  needsSigning: true,
  writes: true,
  args: [API_KEY_ARG, { ...PHOTO_ID_ARG, description: 'The id of the photo to delete.' }],
  errors: [PHOTO_NOT_FOUND],
  async handle(ctx) {
    const { services } = ctx
    const photo = await ownPhoto(ctx)
    const now = services.clock()
    // Rows go and their blob keys are recorded as garbage in one transaction, so a crash after
    // commit still gets the bytes deleted by the sweeper; the delete itself happens after commit.
    const released = await services.database.db.transaction().execute(async (tx) => {
      const photos = new PhotoRepository(tx)
      // Re-read inside the transaction: a concurrent delete may have won since the check above.
      const current = await photos.byId(photo.id)
      if (!current || current.ownerNsid !== photo.ownerNsid) throw photoNotFound()
      const keys = await photos.delete(photo.id)
      await new BlobGarbageRepository(tx).add(keys, now)
      return keys
    })
    services.usageReport.forget(photo.ownerNsid)
    await deleteReleasedBlobs(services, released)
    return []
  },
})
