import { el, list } from '../payload.js'
import { photoIdArg } from '../args.js'
import { defineMethod } from '../registry.js'
import { PHOTO_FARM } from './get-info.js'

export const photosGetAllContexts = defineMethod({
  name: 'flickr.photos.getAllContexts',
  description: 'Returns all visible sets and pools the photo belongs to, as <set> elements directly under <rsp> (Retake has no groups, so no <pool>).',
  perms: 'none',
  args: { photo_id: photoIdArg('The photo to return information for.') },
  async handle(ctx, args) {
    const viewer = ctx.actor?.user.nsid ?? null
    const photo = await ctx.services.photoService.viewable(viewer, args.photo_id)
    const sets = await ctx.services.albums.containing(photo, viewer)
    // The counter names differ from getList's here (reference part 2 §2).
    const items = sets.map((set) =>
      el('set', {
        title: set.title,
        id: set.id,
        primary: set.primaryPhotoId,
        secret: set.primary.secret,
        server: set.primary.server,
        farm: PHOTO_FARM,
        view_count: '0',
        comment_count: '0',
        count_photo: set.photoCount,
        count_video: 0,
      }),
    )
    return sets.length === 0 ? [] : [list('set', items)]
  },
})
