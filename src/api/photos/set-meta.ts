import { defineMethod } from '../registry.js'
import { API_KEY_ARG, ownPhoto, PHOTO_ID_ARG, PHOTO_NOT_FOUND } from './photo-access.js'

export const photosSetMeta = defineMethod({
  name: 'flickr.photos.setMeta',
  description: 'Set the meta information for a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: [
    API_KEY_ARG,
    { ...PHOTO_ID_ARG, description: 'The id of the photo to set information for.' },
    { name: 'title', required: false, description: 'The title for the photo. At least one of title or description must be set.' },
    { name: 'description', required: false, description: 'The description for the photo. At least one of title or description must be set.' },
  ],
  errors: [PHOTO_NOT_FOUND],
  async handle(ctx) {
    const photo = await ownPhoto(ctx)
    // An argument left out keeps its current value (Flickr made both optional).
    const title = ctx.params.get('title') ?? photo.title
    const description = ctx.params.get('description') ?? photo.description
    await ctx.services.photos.setMeta(photo.id, title, description, ctx.services.clock())
    return []
  },
})
