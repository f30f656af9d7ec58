import { methodErrors } from '../../errors/catalogue.js'
import { pageArg, perPageArg } from '../args.js'
import { extrasArg, mediaArg, pagingAttrs, photosetIdArg, privacyFilterArg, rangeOf } from '../list-args.js'
import { el, list } from '../payload.js'
import { basePhotoAttrs, loadExtras, photoListElement, visibilityAttrs } from '../photo-extras.js'
import { defineMethod } from '../registry.js'
import { checkSetOwner, setOwnerArg } from './set-owner-arg.js'

export const photosetsGetPhotos = defineMethod({
  name: 'flickr.photosets.getPhotos',
  description: 'Get the list of photos in a set, in the set’s order: only the photos the caller may see. privacy_filter applies to the owner’s own calls.',
  perms: 'none',
  args: {
    photoset_id: photosetIdArg('The id of the photoset to return the photos for.'),
    user_id: setOwnerArg(),
    extras: extrasArg(),
    per_page: perPageArg(500, 500),
    page: pageArg(),
    privacy_filter: privacyFilterArg(),
    media: mediaArg(),
  },
  errors: [methodErrors.photosetUserNotFound],
  async handle(ctx, args) {
    const { services } = ctx
    const viewer = ctx.actor?.user.nsid ?? null
    const set = await services.albums.visibleHead(args.photoset_id, viewer)
    checkSetOwner(set, args.user_id)
    const { per_page: perPage, page } = args
    const { photos, total } =
      args.media === 'videos' ? { photos: [], total: 0 } : await services.albums.photos(set, viewer, rangeOf(page, perPage), args.privacy_filter)
    const [owner, extras] = await Promise.all([services.accounts.byNsid(set.ownerNsid), loadExtras(services, photos, args.extras, viewer, ctx.urls)])
    const items = photos.map((photo) =>
      photoListElement(photo, { ...basePhotoAttrs(photo, { owner: false }), isprimary: photo.id === set.primaryPhotoId ? '1' : '0', ...visibilityAttrs(photo) }, extras),
    )
    const paging = pagingAttrs(page, perPage, total)
    // Flickr's attribute order, with both per_page and perpage (reference §1.5).
    const attrs = { id: set.id, primary: set.primaryPhotoId, owner: set.ownerNsid, ownername: owner?.username ?? '', page, per_page: perPage, perpage: perPage, pages: paging.pages, title: set.title, total }
    return [el('photoset', attrs, list('photo', items))]
  },
})
