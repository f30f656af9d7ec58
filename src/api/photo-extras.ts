import type { Account } from '../db/account-repository.js'
import type { SizeRow } from '../db/photo-list-repository.js'
import type { PhotoRow, PhotoTagRow } from '../db/photo-repository.js'
import { photoSourceUrl } from '../domain/photos/photo-urls.js'
import type { PublicUrls } from '../http/public-urls.js'
import type { Services } from '../services.js'
import { textEl, type Attrs, type Element } from './payload.js'
import { PHOTO_FARM } from './photos/get-info.js'

// The `extras` of every photo list (reference part 2 §5): names and JSON types as Flickr's, one batch
// query per page for sizes and tags. Unknown names are ignored, as on Flickr.

/** url_X extra -> file suffix (url_s is the `_m` file, url_m the unsuffixed Medium, url_l the `_b`). */
const URL_SUFFIX: Record<string, string> = {
  url_sq: 's',
  url_q: 'q',
  url_t: 't',
  url_s: 'm',
  url_n: 'n',
  url_w: 'w',
  url_m: '',
  url_z: 'z',
  url_c: 'c',
  url_l: 'b',
  url_h: 'h',
  url_k: 'k',
  url_o: 'o',
}

/** One url_X extra with its attribute names, worked out once per page. */
interface UrlExtra {
  name: string
  suffix: string
  heightName: string
  widthName: string
}

// Machine tags keep their namespace:predicate=value shape after normalisation (as photos.getInfo).
const MACHINE_TAG = /^[a-z_]\w*:\w+=.+$/

/** What a page of photos needs for its extras, loaded once for the whole page. */
export interface ExtrasContext {
  extras: ReadonlySet<string>
  /** In request order: attribute groups follow it, as Flickr's do */
  urlExtras: readonly UrlExtra[]
  viewerNsid: string | null
  urls: PublicUrls
  files: ReadonlyMap<string, ReadonlyMap<string, SizeRow>>
  tags: ReadonlyMap<string, readonly PhotoTagRow[]>
  owners: ReadonlyMap<string, Account>
}

export async function loadExtras(
  services: Pick<Services, 'photoLists' | 'accounts'>,
  photos: readonly PhotoRow[],
  requested: readonly string[],
  viewerNsid: string | null,
  urls: PublicUrls,
): Promise<ExtrasContext> {
  const extras = new Set(requested.map((name) => name.toLowerCase()))
  const urlExtras = [...extras]
    .filter((name) => name in URL_SUFFIX)
    .map((name) => ({ name, suffix: URL_SUFFIX[name]!, heightName: `height_${name.slice(4)}`, widthName: `width_${name.slice(4)}` }))
  const wantsTags = extras.has('tags') || extras.has('machine_tags')
  const wantsOwner = extras.has('owner_name') || extras.has('path_alias') || extras.has('icon_server') || extras.has('realname')
  const [fileRows, tagRows, owners] = await Promise.all([
    services.photoLists.filesFor(photos, urlExtras.map((url) => url.suffix)),
    wantsTags ? services.photoLists.tagsFor(photos) : Promise.resolve([]),
    wantsOwner ? ownersOf(services, photos) : Promise.resolve(new Map<string, Account>()),
  ])
  // Rows of each photo's current revision only (another revision's file is not this photo's size).
  const revisions = new Map(photos.map((photo) => [photo.id, photo.revision]))
  const files = new Map<string, Map<string, SizeRow>>()
  for (const file of fileRows) {
    if (revisions.get(file.photoId) !== file.revision) continue
    let forPhoto = files.get(file.photoId)
    if (!forPhoto) files.set(file.photoId, (forPhoto = new Map()))
    forPhoto.set(file.suffix, file)
  }
  const tags = new Map<string, PhotoTagRow[]>()
  for (const tag of tagRows) tags.set(tag.photoId, [...(tags.get(tag.photoId) ?? []), tag])
  return { extras, urlExtras, viewerNsid, urls, files, tags, owners }
}

async function ownersOf(services: Pick<Services, 'accounts'>, photos: readonly PhotoRow[]): Promise<Map<string, Account>> {
  const nsids = [...new Set(photos.map((photo) => photo.ownerNsid))]
  const accounts = await Promise.all(nsids.map((nsid) => services.accounts.byNsid(nsid)))
  return new Map(accounts.filter((a): a is Account => a !== undefined).map((account) => [account.nsid, account]))
}

/** `id owner secret server farm title ispublic isfriend isfamily` (photosets.getPhotos drops owner, adds isprimary). */
export function basePhotoAttrs(photo: PhotoRow, options: { owner: boolean } = { owner: true }): Attrs {
  return {
    id: photo.id,
    owner: options.owner ? photo.ownerNsid : undefined,
    secret: photo.secret,
    server: photo.server,
    farm: PHOTO_FARM,
    title: photo.title,
  }
}

export function visibilityAttrs(photo: PhotoRow): Attrs {
  return { ispublic: photo.isPublic, isfriend: photo.isFriend, isfamily: photo.isFamily }
}

/** A list's `<photo>`: `attrs` (base and visibility, in the caller's order) plus the extras asked for. */
export function photoListElement(photo: PhotoRow, attrs: Attrs, ctx: ExtrasContext): Element {
  // Built apart and spread once: adding properties one by one to the caller's object is ~2x slower in V8.
  const extra: Attrs = {}
  addExtras(photo, ctx, extra)
  const all: Attrs = { ...attrs, ...extra }
  return ctx.extras.has('description') ? { name: 'photo', attrs: all, children: [textEl('description', photo.description)] } : { name: 'photo', attrs: all }
}

/** Adds the extras' attributes to `attrs`, in Flickr's attribute order. */
function addExtras(photo: PhotoRow, ctx: ExtrasContext, attrs: Attrs): void {
  const has = (name: string) => ctx.extras.has(name)
  const isOwner = ctx.viewerNsid === photo.ownerNsid
  const owner = ctx.owners.get(photo.ownerNsid)
  const tags = ctx.tags.get(photo.id) ?? []
  if (has('license')) attrs.license = String(photo.license)
  if (has('date_upload')) attrs.dateupload = String(photo.datePosted)
  if (has('last_update')) attrs.lastupdate = String(photo.lastUpdate)
  if (has('date_taken')) Object.assign(attrs, { datetaken: photo.dateTaken, datetakengranularity: String(photo.dateTakenGranularity), datetakenunknown: '0' })
  if (has('owner_name')) attrs.ownername = owner?.username ?? ''
  if (has('realname')) attrs.realname = owner?.fullname ?? ''
  if (has('icon_server')) Object.assign(attrs, { iconserver: '0', iconfarm: 0 })
  // The original's secret is for those who may fetch the original (reference part 1 §6.1).
  if (has('original_format') && isOwner) Object.assign(attrs, { originalsecret: photo.originalSecret, originalformat: photo.originalFormat })
  if (has('views') || has('count_views')) attrs[has('views') ? 'views' : 'count_views'] = String(photo.views)
  if (has('tags')) attrs.tags = tags.map((tag) => tag.clean).join(' ')
  if (has('machine_tags')) attrs.machine_tags = tags.filter((tag) => MACHINE_TAG.test(tag.clean)).map((tag) => tag.clean).join(' ')
  if (has('o_dims')) Object.assign(attrs, { o_width: String(photo.width), o_height: String(photo.height) })
  if (has('geo')) Object.assign(attrs, geoAttrs(photo))
  if (has('media')) Object.assign(attrs, { media: 'photo', media_status: 'ready' })
  addUrls(photo, ctx, isOwner, attrs)
  if (has('path_alias')) attrs.pathalias = ''
  if (has('safety_level')) attrs.safety_level = String(Math.max(0, photo.safetyLevel - 1))
}

/**
 * The `geo` extra: a geotag with 6 decimals and its (owner-wide, public) geo permissions; the
 * "not geotagged" form otherwise (reference part 2 §5.2).
 */
export function geoAttrs(photo: PhotoRow): Attrs {
  if (photo.accuracy === 0 || photo.latitude === null || photo.longitude === null) return { latitude: '0', longitude: '0', accuracy: '0', context: 0 }
  return {
    latitude: photo.latitude.toFixed(6),
    longitude: photo.longitude.toFixed(6),
    accuracy: String(photo.accuracy),
    context: photo.geoContext,
    place_id: '',
    woeid: '',
    geo_is_public: 1,
    geo_is_contact: 0,
    geo_is_friend: 0,
    geo_is_family: 0,
  }
}

/** `url_X height_X width_X` per size that exists; url_o only for the owner (it carries the original secret). */
function addUrls(photo: PhotoRow, ctx: ExtrasContext, isOwner: boolean, attrs: Attrs): void {
  const files = ctx.files.get(photo.id)
  if (!files) return
  for (const url of ctx.urlExtras) {
    const file = files.get(url.suffix)
    if (!file || (url.suffix === 'o' && !isOwner)) continue
    attrs[url.name] = photoSourceUrl(ctx.urls.static, photo, url.suffix)
    attrs[url.heightName] = file.height
    attrs[url.widthName] = file.width
  }
}
