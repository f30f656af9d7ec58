import { photosetIdArg, setPhotoIdArg } from '../list-args.js'
import { defineMethod } from '../registry.js'

export const photosetsSetPrimaryPhoto = defineMethod({
  name: 'flickr.photosets.setPrimaryPhoto',
  description: 'Set the primary photo of a photoset; the photo must already be in the set (2 otherwise).',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photoset_id: photosetIdArg('The id of the photoset to set the primary photo of.'),
    photo_id: setPhotoIdArg('The id of the photo to set as primary.'),
  },
  async handle(ctx, args) {
    await ctx.services.albums.setPrimaryPhoto(ctx.actor!.user, args.photoset_id, args.photo_id)
    return []
  },
})
