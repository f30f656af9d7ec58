import { methodErrors } from '../../errors/catalogue.js'
import { photosetIdArg } from '../list-args.js'
import { defineMethod } from '../registry.js'
import { photosetElement } from './photoset-payload.js'
import { checkSetOwner, setOwnerArg } from './set-owner-arg.js'

export const photosetsGetInfo = defineMethod({
  name: 'flickr.photosets.getInfo',
  description: 'Gets information about a photoset; the caller must be able to see its primary photo. Counts are of the photos the caller may see.',
  perms: 'none',
  args: {
    photoset_id: photosetIdArg('The ID of the photoset to fetch information for.'),
    user_id: setOwnerArg(),
  },
  errors: [methodErrors.photosetUserNotFound],
  async handle(ctx, args) {
    const { services } = ctx
    const set = await services.albums.visible(args.photoset_id, ctx.actor?.user.nsid ?? null)
    checkSetOwner(set, args.user_id)
    return [photosetElement(set, await services.accounts.byNsid(set.ownerNsid))]
  },
})
