import { pageArg, perPageArg } from '../args.js'
import { dateBoundArg, extrasArg, mediaArg, pagingAttrs, privacyFilterArg, rangeOf } from '../list-args.js'
import { el, list } from '../payload.js'
import { basePhotoAttrs, loadExtras, photoListElement, visibilityAttrs } from '../photo-extras.js'
import { defineMethod } from '../registry.js'

export const photosGetNotInSet = defineMethod({
  name: 'flickr.photos.getNotInSet',
  description: 'Returns a list of the calling user’s photos that are not part of any sets, newest upload first.',
  perms: 'read',
  needsSigning: true,
  args: {
    max_upload_date: dateBoundArg('Maximum upload date (Unix timestamp or MySQL datetime); photos uploaded on or before it.'),
    min_upload_date: dateBoundArg('Minimum upload date (Unix timestamp or MySQL datetime); photos uploaded on or after it.'),
    privacy_filter: privacyFilterArg(),
    media: mediaArg(),
    extras: extrasArg(),
    per_page: perPageArg(),
    page: pageArg(),
  },
  async handle(ctx, args) {
    const { services } = ctx
    const user = ctx.actor!.user
    const { per_page: perPage, page } = args
    const filter = { minUploadDate: args.min_upload_date, maxUploadDate: args.max_upload_date, privacy: args.privacy_filter }
    const { photos, total } = args.media === 'videos' ? { photos: [], total: 0 } : await services.photoLists.notInSet(user.nsid, filter, rangeOf(page, perPage))
    const extras = await loadExtras(services, photos, args.extras, user.nsid, ctx.urls)
    const items = photos.map((photo) => photoListElement(photo, { ...basePhotoAttrs(photo), ...visibilityAttrs(photo) }, extras))
    return [el('photos', pagingAttrs(page, perPage, total), list('photo', items))]
  },
})
