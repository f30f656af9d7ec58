import { listingFilter } from '../../domain/photos/visibility.js'
import { photoIdArg } from '../args.js'
import { textEl } from '../payload.js'
import { contextPhoto } from '../photosets/photoset-payload.js'
import { defineMethod } from '../registry.js'

export const photosGetContext = defineMethod({
  name: 'flickr.photos.getContext',
  description: 'Returns next and previous photos for a photo in its owner’s photostream: prev is the next older upload, next the next newer (id="0" at either end); count is the photos the caller may see.',
  perms: 'none',
  args: { photo_id: photoIdArg('The id of the photo to fetch the context for.') },
  async handle(ctx, args) {
    const { services, urls } = ctx
    const viewer = ctx.actor?.user.nsid ?? null
    const photo = await services.photoService.viewable(viewer, args.photo_id)
    const { publicOnly } = listingFilter(photo.ownerNsid, viewer)
    const [{ prev, next }, stats] = await Promise.all([
      services.photoLists.photostreamNeighbours(photo, publicOnly),
      services.photoLists.photostreamStats(photo.ownerNsid, publicOnly),
    ])
    return [textEl('count', String(stats.count)), contextPhoto('prevphoto', prev, urls, 'photostream'), contextPhoto('nextphoto', next, urls, 'photostream')]
  },
})
