import { methodErrors } from '../../errors/catalogue.js'
import { photosetIdArg, setPhotoIdArg } from '../list-args.js'
import { defineMethod } from '../registry.js'

export const photosetsAddPhoto = defineMethod({
  name: 'flickr.photosets.addPhoto',
  description: 'Add a photo to the end of an existing photoset. Clients branch on the codes: 1 set not found, 2 photo not found, 3 already in the set.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photoset_id: photosetIdArg('The id of the photoset to add a photo to.'),
    photo_id: setPhotoIdArg('The id of the photo to add to the set.'),
  },
  errors: [methodErrors.photoAlreadyInSet],
  async handle(ctx, args) {
    await ctx.services.albums.addPhoto(ctx.actor!.user, args.photoset_id, args.photo_id)
    return []
  },
})
