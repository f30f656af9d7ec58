import { methodErrors } from '../../errors/catalogue.js'
import { idListArg } from '../list-args.js'
import { defineMethod } from '../registry.js'

export const photosetsOrderSets = defineMethod({
  name: 'flickr.photosets.orderSets',
  description: 'Set the order of photosets for the calling user: the listed sets first, the others after them ordered by their ids.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: { photoset_ids: idListArg('A comma-delimited list of photoset IDs, ordered with the set to show first, first in the list.', methodErrors.setNotFound) },
  async handle(ctx, args) {
    await ctx.services.albums.orderSets(ctx.actor!.user, args.photoset_ids)
    return []
  },
})
