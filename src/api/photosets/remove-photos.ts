import { methodErrors } from '../../errors/catalogue.js'
import { idListArg, photosetIdArg } from '../list-args.js'
import { defineMethod } from '../registry.js'

export const photosetsRemovePhotos = defineMethod({
  name: 'flickr.photosets.removePhotos',
  description: 'Remove multiple photos from a photoset; photos of the caller’s that are not in the set are skipped. A set left without photos is deleted.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photoset_id: photosetIdArg('The id of the photoset to remove photos from.'),
    photo_ids: idListArg('Comma-delimited list of photo ids to remove from the photoset.', methodErrors.photoNotFoundForSet),
  },
  async handle(ctx, args) {
    await ctx.services.albums.removePhotos(ctx.actor!.user, args.photoset_id, args.photo_ids, { strict: false })
    return []
  },
})
