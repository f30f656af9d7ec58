import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { photoIdArg, pageArg, perPageArg } from '../args.js'
import { dateBoundArg, extrasArg, optionalUserArg, pagingAttrs, rangeOf } from '../list-args.js'
import { el, list } from '../payload.js'
import { basePhotoAttrs, loadExtras, photoListElement, visibilityAttrs } from '../photo-extras.js'
import { defineMethod, required, type MethodContext } from '../registry.js'

export const favoritesAdd = defineMethod({
  name: 'flickr.favorites.add',
  description: 'Adds a photo to a user’s favorites list.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: { photo_id: photoIdArg('The id of the photo to add to the user’s favorites.') },
  errors: [methodErrors.photoOwnedByYou, methodErrors.alreadyFavorite],
  async handle(ctx, args) {
    const user = ctx.actor!.user
    // Not visible answers 1 (not 4), so a private photo cannot be told from a missing one.
    const photo = await ctx.services.photoService.viewable(user.nsid, args.photo_id)
    if (photo.ownerNsid === user.nsid) throw new FlickrError(methodErrors.photoOwnedByYou)
    if (!(await ctx.services.favorites.add(user.nsid, photo.id, ctx.services.clock()))) throw new FlickrError(methodErrors.alreadyFavorite)
    return []
  },
})

export const favoritesRemove = defineMethod({
  name: 'flickr.favorites.remove',
  description: 'Removes a photo from a user’s favorites list.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: { photo_id: required('The id of the photo to remove from the user’s favorites.', methodErrors.notInFavorites) },
  async handle(ctx, args) {
    if (!(await ctx.services.favorites.remove(ctx.actor!.user.nsid, args.photo_id))) throw new FlickrError(methodErrors.notInFavorites)
    return []
  },
})

const listArgs = {
  min_fave_date: dateBoundArg('Minimum date that a photo was favorited on (Unix timestamp).'),
  max_fave_date: dateBoundArg('Maximum date that a photo was favorited on (Unix timestamp).'),
  extras: extrasArg(),
  per_page: perPageArg(),
  page: pageArg(),
}

async function favoritesPage(ctx: MethodContext, userId: string | undefined, args: { min_fave_date?: number; max_fave_date?: number; extras: string[]; per_page: number; page: number }, publicOnly: boolean) {
  const viewer = ctx.actor?.user.nsid ?? null
  const nsid = userId === undefined || userId === 'me' ? viewer : userId
  if (!nsid || (nsid !== viewer && !(await ctx.services.accounts.byNsid(nsid)))) throw new FlickrError(methodErrors.userNotFound)
  const { page, per_page: perPage } = args
  const bounds = { minFaveDate: args.min_fave_date, maxFaveDate: args.max_fave_date, publicOnly }
  const { photos, total } = await ctx.services.favorites.list(nsid, viewer, bounds, rangeOf(page, perPage))
  const extras = await loadExtras(ctx.services, photos, args.extras, viewer, ctx.urls)
  // date_faved is always there, extras or not (reference §4.2).
  const items = photos.map((photo) => photoListElement(photo, { ...basePhotoAttrs(photo), ...visibilityAttrs(photo), date_faved: String(photo.dateFaved) }, extras))
  return [el('photos', pagingAttrs(page, perPage, total), list('photo', items))]
}

export const favoritesGetList = defineMethod({
  name: 'flickr.favorites.getList',
  description: 'Returns a list of the user’s favorite photos. Only photos which the calling user has permission to see are returned.',
  perms: 'none',
  args: { user_id: optionalUserArg('The NSID of the user to fetch the favorites list for. Defaults to the calling user.'), ...listArgs },
  errors: [methodErrors.userNotFound],
  handle: (ctx, args) => favoritesPage(ctx, args.user_id, args, false),
})

export const favoritesGetPublicList = defineMethod({
  name: 'flickr.favorites.getPublicList',
  description: 'Returns a list of favorite public photos for the given user.',
  perms: 'none',
  args: { user_id: required('The user to fetch the favorites list for.', methodErrors.userNotFound), ...listArgs },
  handle: (ctx, args) => favoritesPage(ctx, args.user_id, args, true),
})

export const photosGetFavorites = defineMethod({
  name: 'flickr.photos.getFavorites',
  description: 'Returns the list of people who have favorited a given photo, newest first.',
  perms: 'none',
  args: { photo_id: photoIdArg('The id of the photo to fetch the favoriters list for.'), page: pageArg(), per_page: perPageArg(10, 50) },
  async handle(ctx, args) {
    const photo = await ctx.services.photoService.viewable(ctx.actor?.user.nsid ?? null, args.photo_id)
    const { page, per_page: perPage } = args
    const { people, total } = await ctx.services.favorites.favers(photo.id, rangeOf(page, perPage))
    const persons = people.map((p) => el('person', { nsid: p.userNsid, username: p.username, realname: p.fullname, favedate: String(p.dateFaved), iconserver: '0', iconfarm: 0, contact: 0, friend: 0, family: 0 }))
    return [el('photo', { id: photo.id, secret: photo.secret, server: photo.server, farm: 66, ...pagingAttrs(page, perPage, total) }, list('person', persons))]
  },
})
