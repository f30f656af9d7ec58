import { photoIdArg } from '../args.js'
import { defineMethod } from '../registry.js'

export const photosDelete = defineMethod({
  name: 'flickr.photos.delete',
  description: 'Delete a photo from Flickr.',
  perms: 'delete',
  needsSigning: true,
  writes: true,
  args: { photo_id: photoIdArg('The id of the photo to delete.') },
  async handle(ctx, args) {
    await ctx.services.photoService.delete(ctx.actor!.user, args.photo_id)
    return []
  },
})
