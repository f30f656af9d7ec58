import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { pageArg, perPageArg, textArg } from '../args.js'
import { extrasArg, pagingAttrs } from '../list-args.js'
import { el, list } from '../payload.js'
import { basePhotoAttrs, loadExtras, photoListElement, visibilityAttrs } from '../photo-extras.js'
import { defineMethod, required } from '../registry.js'

export const peopleGetPublicPhotos = defineMethod({
  name: 'flickr.people.getPublicPhotos',
  description: 'Get a list of public photos for the given user, newest upload first (also for the user themselves). safe_search is accepted and ignored.',
  perms: 'none',
  args: {
    user_id: required('The NSID of the user whose photos to return.', methodErrors.userNotFound),
    safe_search: textArg('Safe search setting: 1 safe, 2 moderate, 3 restricted (ignored).'),
    extras: extrasArg(),
    per_page: perPageArg(),
    page: pageArg(),
  },
  async handle(ctx, args) {
    const { services } = ctx
    const owner = await services.accounts.byNsid(args.user_id)
    if (!owner) throw new FlickrError(methodErrors.userNotFound)
    const { per_page: perPage, page } = args
    const { photos, total } = await services.photos.byOwner(owner.nsid, page, perPage, { publicOnly: true })
    const extras = await loadExtras(services, photos, args.extras, ctx.actor?.user.nsid ?? null, ctx.urls)
    const items = photos.map((photo) => photoListElement(photo, { ...basePhotoAttrs(photo), ...visibilityAttrs(photo) }, extras))
    return [el('photos', pagingAttrs(page, perPage, total), list('photo', items))]
  },
})
