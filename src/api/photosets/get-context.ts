import { methodErrors } from '../../errors/catalogue.js'
import { photoIdArg } from '../args.js'
import { photosetIdArg } from '../list-args.js'
import { textEl } from '../payload.js'
import { defineMethod } from '../registry.js'
import { contextPhoto } from './photoset-payload.js'

export const photosetsGetContext = defineMethod({
  name: 'flickr.photosets.getContext',
  description: 'Returns next and previous photos for a photo in a set (id="0" at either end), among the photos the caller may see; count is how many those are.',
  perms: 'none',
  args: {
    photo_id: photoIdArg('The id of the photo to fetch the context for.'),
    photoset_id: photosetIdArg('The id of the photoset for which to fetch the photo’s context.', methodErrors.photoNotInSetContext),
  },
  async handle(ctx, args) {
    const { services, urls } = ctx
    const viewer = ctx.actor?.user.nsid ?? null
    const photo = await services.photoService.viewable(viewer, args.photo_id)
    const context = await services.albums.context(args.photoset_id, photo, viewer)
    const inPath = `set-${args.photoset_id}`
    return [textEl('count', String(context.count)), contextPhoto('prevphoto', context.prev, urls, inPath), contextPhoto('nextphoto', context.next, urls, inPath)]
  },
})
