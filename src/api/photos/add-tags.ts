import { methodErrors } from '../../errors/catalogue.js'
import { photoIdArg } from '../args.js'
import { defineMethod, required } from '../registry.js'

export const photosAddTags = defineMethod({
  name: 'flickr.photos.addTags',
  description: 'Add tags to a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The id of the photo to add tags to.'),
    // Missing tags: nothing to add on a photo that exists; Flickr answers its code 1 for both alike.
    tags: required('The tags to add to the photo (space-delimited; multi-word tags in double quotes).', methodErrors.photoNotFound),
  },
  errors: [methodErrors.tooManyTags],
  async handle(ctx, args) {
    await ctx.services.photoService.addTags(ctx.actor!.user, args.photo_id, args.tags)
    return []
  },
})
