import type { PhotoRow } from '../../db/photo-repository.js'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { listingFilter } from '../../domain/photos/visibility.js'
import { nameListArg, pageArg, perPageArg } from '../args.js'
import { el, list, type Attrs } from '../payload.js'
import { PHOTO_FARM } from '../photos/get-info.js'
import { defineMethod, required } from '../registry.js'

export const peopleGetPhotos = defineMethod({
  name: 'flickr.people.getPhotos',
  description: "Return photos from the given user's photostream. Only photos visible to the calling user will be returned.",
  perms: 'read',
  needsSigning: true,
  args: {
    user_id: required('The NSID of the user whose photos to return. A value of "me" will return the calling user\'s photos.', methodErrors.unknownUser),
    extras: nameListArg(
      'A comma-delimited list of extra information to fetch for each returned record: original_format, date_upload, date_taken, last_update, views, media.',
    ),
    per_page: perPageArg(),
    page: pageArg(),
  },
  async handle(ctx, args) {
    const caller = ctx.actor!.user
    const ownerNsid = args.user_id === 'me' ? caller.nsid : args.user_id
    if (ownerNsid !== caller.nsid && !(await ctx.services.accounts.byNsid(ownerNsid))) throw new FlickrError(methodErrors.unknownUser)
    const { per_page: perPage, page } = args
    const { photos, total } = await ctx.services.photos.byOwner(ownerNsid, page, perPage, listingFilter(ownerNsid, caller.nsid))
    const extras = new Set(args.extras)
    const items = photos.map((photo) => el('photo', photoAttrs(photo, ownerNsid === caller.nsid, extras)))
    return [el('photos', { page, pages: Math.max(1, Math.ceil(total / perPage)), perpage: perPage, total }, list('photo', items))]
  },
})

function photoAttrs(photo: PhotoRow, owner: boolean, extras: ReadonlySet<string>): Attrs {
  const attrs: Attrs = {
    id: photo.id,
    owner: photo.ownerNsid,
    secret: photo.secret,
    server: photo.server,
    farm: PHOTO_FARM,
    title: photo.title,
    ispublic: photo.isPublic,
    isfriend: photo.isFriend,
    isfamily: photo.isFamily,
  }
  // The original's secret is for those who may fetch the original (reference §6.1).
  if (extras.has('original_format') && owner) {
    attrs.originalsecret = photo.originalSecret
    attrs.originalformat = photo.originalFormat
  }
  if (extras.has('date_upload')) attrs.dateupload = String(photo.datePosted)
  if (extras.has('last_update')) attrs.lastupdate = String(photo.lastUpdate)
  if (extras.has('date_taken')) {
    attrs.datetaken = photo.dateTaken
    attrs.datetakengranularity = String(photo.dateTakenGranularity)
    attrs.datetakenunknown = '0'
  }
  if (extras.has('views')) attrs.views = String(photo.views)
  if (extras.has('media')) {
    attrs.media = 'photo'
    attrs.media_status = 'ready'
  }
  return attrs
}
