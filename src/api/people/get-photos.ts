import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { listingFilter } from '../../domain/photos/visibility.js'
import { pageArg, perPageArg } from '../args.js'
import { extrasArg } from '../list-args.js'
import { el, list } from '../payload.js'
import { basePhotoAttrs, loadExtras, photoListElement, visibilityAttrs } from '../photo-extras.js'
import { defineMethod, required } from '../registry.js'

export const peopleGetPhotos = defineMethod({
  name: 'flickr.people.getPhotos',
  description: "Return photos from the given user's photostream. Only photos visible to the calling user will be returned.",
  perms: 'read',
  needsSigning: true,
  args: {
    user_id: required('The NSID of the user whose photos to return. A value of "me" will return the calling user\'s photos.', methodErrors.unknownUser),
    extras: extrasArg(),
    per_page: perPageArg(),
    page: pageArg(),
  },
  async handle(ctx, args) {
    const caller = ctx.actor!.user
    const ownerNsid = args.user_id === 'me' ? caller.nsid : args.user_id
    if (ownerNsid !== caller.nsid && !(await ctx.services.accounts.byNsid(ownerNsid))) throw new FlickrError(methodErrors.unknownUser)
    const { per_page: perPage, page } = args
    const { photos, total } = await ctx.services.photos.byOwner(ownerNsid, page, perPage, listingFilter(ownerNsid, caller.nsid))
    const extras = await loadExtras(ctx.services, photos, args.extras, caller.nsid, ctx.urls)
    const items = photos.map((photo) => photoListElement(photo, { ...basePhotoAttrs(photo), ...visibilityAttrs(photo) }, extras))
    return [el('photos', { page, pages: Math.max(1, Math.ceil(total / perPage)), perpage: perPage, total }, list('photo', items))]
  },
})
