import { photoIdArg, textArg } from '../args.js'
import { defineMethod } from '../registry.js'

export const photosSetMeta = defineMethod({
  name: 'flickr.photos.setMeta',
  description: 'Set the meta information for a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The id of the photo to set information for.'),
    title: textArg('The title for the photo. At least one of title or description must be set.'),
    description: textArg('The description for the photo. At least one of title or description must be set.'),
  },
  async handle(ctx, args) {
    await ctx.services.photoService.setMeta(ctx.actor!.user, args.photo_id, { title: args.title, description: args.description })
    return []
  },
})
