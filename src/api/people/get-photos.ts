import type { PhotoRow } from '../../db/photo-repository.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { el, list, type Attrs } from '../../http/payload.js'
import { PHOTO_FARM } from '../photos/get-info.js'
import { defineMethod } from '../registry.js'

const DEFAULT_PER_PAGE = 100
const MAX_PER_PAGE = 500
// Keeps the SQL offset a sane integer on both engines; pages past the end are empty anyway.
const MAX_PAGE = 1_000_000

const unknownUser = () => new FlickrError(2, 'Unknown user')

export const peopleGetPhotos = defineMethod({
  name: 'flickr.people.getPhotos',
  description: "Return photos from the given user's photostream. Only photos visible to the calling user will be returned.",
  perms: 'read',
  needsSigning: true,
  writes: false,
  args: [
    { name: 'api_key', required: true, description: 'Your API application key.' },
    { name: 'user_id', required: true, description: 'The NSID of the user whose photos to return. A value of "me" will return the calling user\'s photos.' },
    {
      name: 'extras',
      required: false,
      description: 'A comma-delimited list of extra information to fetch for each returned record: original_format, date_upload, date_taken, last_update, views, media.',
    },
    { name: 'per_page', required: false, description: 'Number of photos to return per page. Defaults to 100; the maximum is 500.' },
    { name: 'page', required: false, description: 'The page of results to return. Defaults to 1.' },
  ],
  errors: [{ code: 2, message: 'Unknown user' }],
  async handle(ctx) {
    const caller = ctx.actor!.user
    const userId = ctx.params.get('user_id') ?? ''
    const self = userId === 'me' || userId === caller.nsid
    if (!self && !(await ctx.services.accounts.byNsid(userId))) throw unknownUser()
    const perPage = positiveInt(ctx.params.get('per_page'), DEFAULT_PER_PAGE, MAX_PER_PAGE)
    const page = positiveInt(ctx.params.get('page'), 1, MAX_PAGE)
    // Everything for the owner; only public photos for anyone else (no contacts in Retake yet).
    const { photos, total } = self
      ? await ctx.services.photos.byOwner(caller.nsid, page, perPage)
      : await ctx.services.photos.byOwner(userId, page, perPage, { publicOnly: true })
    const extras = new Set((ctx.params.get('extras') ?? '').split(',').map((s) => s.trim()))
    const items = photos.map((photo) => el('photo', photoAttrs(photo, self, extras)))
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

/** Invalid or missing numbers take the default, as Flickr does; large ones are capped. */
function positiveInt(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value)
  if (!value || !Number.isInteger(n) || n < 1) return fallback
  return Math.min(n, max)
}
