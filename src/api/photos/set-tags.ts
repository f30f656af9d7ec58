import { z } from 'zod'
import { methodErrors } from '../../errors/catalogue.js'
import { photoIdArg } from '../args.js'
import { defineMethod, optional } from '../registry.js'

export const photosSetTags = defineMethod({
  name: 'flickr.photos.setTags',
  description: 'Set the tags for a photo, replacing all of its existing tags.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The id of the photo to set tags for.'),
    // Flickr lists it as required; left out, it is an empty list (every tag removed), as before.
    tags: optional(
      'All tags for the photo (as a single space-delimited string; multi-word tags in double quotes). An empty string removes every tag.',
      z.string().optional().transform((value) => value ?? ''),
    ),
  },
  errors: [methodErrors.tooManyTags],
  async handle(ctx, args) {
    await ctx.services.photoService.setTags(ctx.actor!.user, args.photo_id, args.tags)
    return []
  },
})
