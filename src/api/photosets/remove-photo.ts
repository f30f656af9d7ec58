import { methodErrors } from '../../errors/catalogue.js'
import { photosetIdArg, setPhotoIdArg } from '../list-args.js'
import { defineMethod } from '../registry.js'

export const photosetsRemovePhoto = defineMethod({
  name: 'flickr.photosets.removePhoto',
  description: 'Remove a photo from a photoset. A set left without photos is deleted; one that loses its primary photo takes its first photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photoset_id: photosetIdArg('The id of the photoset to remove a photo from.'),
    photo_id: setPhotoIdArg('The id of the photo to remove from the set.'),
  },
  errors: [methodErrors.photoNotInSet],
  async handle(ctx, args) {
    await ctx.services.albums.removePhotos(ctx.actor!.user, args.photoset_id, [args.photo_id], { strict: true })
    return []
  },
})
