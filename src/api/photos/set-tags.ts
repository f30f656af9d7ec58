import { PhotoRepository } from '../../db/photo-repository.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { parseTags } from '../../domain/photos/tags.js'
import { defineMethod } from '../registry.js'
import { API_KEY_ARG, ownPhoto, PHOTO_ID_ARG, PHOTO_NOT_FOUND, photoNotFound } from './photo-access.js'

// Flickr's per-photo tag cap.
const MAX_TAGS = 75

export const photosSetTags = defineMethod({
  name: 'flickr.photos.setTags',
  description: 'Set the tags for a photo, replacing all of its existing tags.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: [
    API_KEY_ARG,
    { ...PHOTO_ID_ARG, description: 'The id of the photo to set tags for.' },
    {
      name: 'tags',
      required: true,
      description: 'All tags for the photo (as a single space-delimited string; multi-word tags in double quotes). An empty string removes every tag.',
    },
  ],
  errors: [PHOTO_NOT_FOUND, { code: 2, message: 'Maximum number of tags reached' }],
  async handle(ctx) {
    const photo = await ownPhoto(ctx)
    const tags = parseTags(ctx.params.get('tags') ?? '')
    if (tags.length > MAX_TAGS) throw new FlickrError(2, 'Maximum number of tags reached')
    const now = ctx.services.clock()
    // Checked again inside the transaction: tag rows must not outlive a photo deleted meanwhile.
    await ctx.services.database.db.transaction().execute(async (tx) => {
      const photos = new PhotoRepository(tx)
      if (!(await photos.byId(photo.id))) throw photoNotFound()
      await photos.setTags(photo.id, tags.map(({ raw, clean }) => ({ raw, clean })), now)
    })
    return []
  },
})
