import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { Services } from '../../services.js'
import { nameListArg, positiveIntArg } from '../args.js'
import { optionalUserArg, rangeOf } from '../list-args.js'
import { el, list } from '../payload.js'
import { defineMethod } from '../registry.js'
import { photosetElement } from './photoset-payload.js'

const MAX_PER_PAGE = 500

export const photosetsGetList = defineMethod({
  name: 'flickr.photosets.getList',
  description:
    'Returns the photosets belonging to the specified user, in their order; only sets whose primary photo the caller may see. Without page and per_page every set is returned on one page (perpage is then 500, or the number of sets when there are more).',
  perms: 'none',
  args: {
    user_id: optionalUserArg('The NSID of the user to get a photoset list for. If none is specified, the calling user is assumed.'),
    page: positiveIntArg('The page of results to get. If omitted, all sets are returned.', 0, 1_000_000),
    per_page: positiveIntArg('The number of sets to get per page (at most 500).', 0, MAX_PER_PAGE),
    primary_photo_extras: nameListArg('A comma-delimited list of extra information for the primary photo: last_update, owner_name, date_upload.'),
  },
  errors: [methodErrors.userNotFound],
  async handle(ctx, args) {
    const { services } = ctx
    const viewer = ctx.actor?.user ?? null
    const nsid = args.user_id === undefined || args.user_id === 'me' ? viewer?.nsid : args.user_id
    const owner = nsid ? await services.accounts.byNsid(nsid) : undefined
    if (!owner) throw new FlickrError(methodErrors.userNotFound)
    const paged = args.page > 0 || args.per_page > 0
    const page = Math.max(1, args.page)
    const perPage = args.per_page > 0 ? args.per_page : MAX_PER_PAGE
    const { sets, total } = await services.albums.list(owner.nsid, viewer?.nsid ?? null, paged ? rangeOf(page, perPage) : undefined)
    const shownPerPage = paged ? perPage : Math.max(MAX_PER_PAGE, total)
    const extras = new Set(args.primary_photo_extras.map((name) => name.toLowerCase()))
    const items = await Promise.all(sets.map(async (set) => photosetElement(set, owner, extras.size > 0 ? [await primaryExtras(ctx.services, set.primaryPhotoId, owner.username, extras)] : [])))
    const attrs = { cancreate: viewer?.nsid === owner.nsid ? 1 : 0, page: paged ? page : 1, pages: Math.ceil(total / shownPerPage), perpage: shownPerPage, total }
    return [el('photosets', attrs, list('photoset', items))]
  },
})

/** `<primary_photo_extras>`: the extras' attributes for the primary photo, as a child element (§1.2). */
async function primaryExtras(services: Services, photoId: string, ownerName: string, extras: ReadonlySet<string>) {
  const photo = await services.photos.byId(photoId)
  return el('primary_photo_extras', {
    lastupdate: extras.has('last_update') && photo ? String(photo.lastUpdate) : undefined,
    dateupload: extras.has('date_upload') && photo ? String(photo.datePosted) : undefined,
    ownername: extras.has('owner_name') ? ownerName : undefined,
  })
}
