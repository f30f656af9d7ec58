import { methodErrors } from '../../../errors/catalogue.js'
import { FlickrError } from '../../../errors/flickr-error.js'
import { locationFields, NO_LOCATION } from '../../../domain/photos/photo-fields.js'
import { photoIdArg, textArg } from '../../args.js'
import { el } from '../../payload.js'
import { geoAttrs } from '../../photo-extras.js'
import { defineMethod } from '../../registry.js'

export const geoSetLocation = defineMethod({
  name: 'flickr.photos.geo.setLocation',
  description: 'Sets the geo data (latitude and longitude and, optionally, the accuracy level) for a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The id of the photo to set location data for.'),
    lat: textArg('The latitude, −90 to 90; anything beyond 6 decimal places is truncated.'),
    lon: textArg('The longitude, −180 to 180; anything beyond 6 decimal places is truncated.'),
    accuracy: textArg('Recorded accuracy level of the location, 1 (world) to 16 (street). Defaults to 16.'),
    context: textArg('0 not defined, 1 indoors, 2 outdoors.'),
  },
  errors: [methodErrors.geoArgumentsMissing, methodErrors.invalidLatitude, methodErrors.invalidLongitude, methodErrors.invalidAccuracy],
  async handle(ctx, args) {
    await ctx.services.photoService.own(ctx.actor!.user, args.photo_id)
    await ctx.services.photoService.updateFields(ctx.actor!.user, args.photo_id, locationFields(args))
    return []
  },
})

export const geoGetLocation = defineMethod({
  name: 'flickr.photos.geo.getLocation',
  description: 'Get the geo data (latitude and longitude and the accuracy level) for a photo.',
  perms: 'none',
  args: { photo_id: photoIdArg('The id of the photo you want to retrieve location data for.') },
  errors: [methodErrors.noLocation],
  async handle(ctx, args) {
    const photo = await ctx.services.photoService.viewable(ctx.actor?.user.nsid ?? null, args.photo_id)
    const { latitude, longitude, accuracy, context } = geoAttrs(photo)
    if (accuracy === '0') throw new FlickrError(methodErrors.noLocation)
    return [el('photo', { id: photo.id }, el('location', { latitude, longitude, accuracy, context }))]
  },
})

export const geoRemoveLocation = defineMethod({
  name: 'flickr.photos.geo.removeLocation',
  description: 'Removes the geo data associated with a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: { photo_id: photoIdArg('The id of the photo you want to remove location data from.') },
  errors: [methodErrors.noLocation],
  async handle(ctx, args) {
    const photo = await ctx.services.photoService.own(ctx.actor!.user, args.photo_id)
    if (photo.accuracy === 0) throw new FlickrError(methodErrors.noLocation)
    await ctx.services.photoService.updateFields(ctx.actor!.user, args.photo_id, NO_LOCATION)
    return []
  },
})
