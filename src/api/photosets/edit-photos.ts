import { methodErrors } from '../../errors/catalogue.js'
import { idListArg, photosetIdArg, setPhotoIdArg } from '../list-args.js'
import { defineMethod } from '../registry.js'

export const photosetsEditPhotos = defineMethod({
  name: 'flickr.photosets.editPhotos',
  description: 'Modify the photos in a photoset: the list replaces the set’s photos, in that order. The primary photo must be in the list.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photoset_id: photosetIdArg('The id of the photoset to modify.'),
    primary_photo_id: setPhotoIdArg('The id of the photo to use as the primary photo for the set; it must also be in the photo_ids list.', methodErrors.primaryPhotoNotFound),
    photo_ids: idListArg('A comma-delimited list of photo ids to include in the set, in order.', methodErrors.emptyPhotoList),
  },
  errors: [methodErrors.photoNotFoundForSet, methodErrors.primaryPhotoNotInList],
  async handle(ctx, args) {
    await ctx.services.albums.editPhotos(ctx.actor!.user, args.photoset_id, args.primary_photo_id, args.photo_ids)
    return []
  },
})
