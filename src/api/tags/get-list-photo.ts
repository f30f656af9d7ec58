import { photoIdArg } from '../args.js'
import { el, list } from '../payload.js'
import { tagElements } from '../photos/get-info.js'
import { defineMethod } from '../registry.js'

export const tagsGetListPhoto = defineMethod({
  name: 'flickr.tags.getListPhoto',
  description: 'Get the tag list for a given photo.',
  perms: 'none',
  args: { photo_id: photoIdArg('The id of the photo to return tags for.') },
  async handle(ctx, args) {
    const { services } = ctx
    const photo = await services.photoService.viewable(ctx.actor?.user.nsid ?? null, args.photo_id)
    const [account, tags] = await Promise.all([services.accounts.byNsid(photo.ownerNsid), services.photos.tags(photo.id)])
    return [el('photo', { id: photo.id }, el('tags', undefined, list('tag', tagElements({ photo, account, tags }))))]
  },
})
