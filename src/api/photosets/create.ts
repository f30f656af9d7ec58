import { methodErrors } from '../../errors/catalogue.js'
import { textArg } from '../args.js'
import { setPhotoIdArg } from '../list-args.js'
import { el } from '../payload.js'
import { defineMethod, required } from '../registry.js'
import { albumPageUrl } from './photoset-payload.js'

export const photosetsCreate = defineMethod({
  name: 'flickr.photosets.create',
  description: 'Create a new photoset for the calling user, holding its primary photo; it comes first in the user’s order. Answers the set’s id and its web page.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    title: required('A title for the photoset.', methodErrors.noTitle),
    description: textArg('A description of the photoset (plain text; shown escaped).'),
    primary_photo_id: setPhotoIdArg('The id of the photo to represent this set. The photo must belong to the calling user.'),
  },
  async handle(ctx, args) {
    const user = ctx.actor!.user
    const { id } = await ctx.services.albums.create(user, { title: args.title, description: args.description, primaryPhotoId: args.primary_photo_id })
    return [el('photoset', { id, url: albumPageUrl(ctx.baseUrl, user.nsid, id) })]
  },
})
