import { photosetIdArg } from '../list-args.js'
import { defineMethod } from '../registry.js'

export const photosetsDelete = defineMethod({
  name: 'flickr.photosets.delete',
  description: 'Delete a photoset (its photos stay).',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: { photoset_id: photosetIdArg('The id of the photoset to delete. It must be owned by the calling user.') },
  async handle(ctx, args) {
    await ctx.services.albums.delete(ctx.actor!.user, args.photoset_id)
    return []
  },
})
