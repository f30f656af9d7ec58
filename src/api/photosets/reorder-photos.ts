import { methodErrors } from '../../errors/catalogue.js'
import { idListArg, photosetIdArg } from '../list-args.js'
import { defineMethod } from '../registry.js'

export const photosetsReorderPhotos = defineMethod({
  name: 'flickr.photosets.reorderPhotos',
  description: 'Reorder a photoset: the listed photos first, in the order given; photos not in the list keep their order after them.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photoset_id: photosetIdArg('The id of the photoset to reorder. The photoset must belong to the calling user.'),
    photo_ids: idListArg('Ordered, comma-delimited list of photo ids.', methodErrors.photoNotFoundForSet),
  },
  async handle(ctx, args) {
    await ctx.services.albums.reorderPhotos(ctx.actor!.user, args.photoset_id, args.photo_ids)
    return []
  },
})
