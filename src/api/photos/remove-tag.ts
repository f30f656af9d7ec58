import { methodErrors } from '../../errors/catalogue.js'
import { defineMethod, required } from '../registry.js'

export const photosRemoveTag = defineMethod({
  name: 'flickr.photos.removeTag',
  description: 'Remove a tag from a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    tag_id: required('The tag to remove from the photo: the id photos.getInfo gives it (e.g. 12037949754@N01-2985-3).', methodErrors.tagNotFound),
  },
  async handle(ctx, args) {
    await ctx.services.photoService.removeTag(ctx.actor!.user, args.tag_id)
    return []
  },
})
