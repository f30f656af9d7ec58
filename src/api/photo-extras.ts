import type { Account } from '../db/account-repository.js'
import type { PhotoFileRow, PhotoRow, PhotoTagRow } from '../db/photo-repository.js'
import { photoSourceUrl } from '../domain/photos/photo-urls.js'
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

// Machine tags keep their namespace:predicate=value shape after normalisation (as photos.getInfo).
const MACHINE_TAG = /^[a-z_]\w*:\w+=.+$/

/** What a page of photos needs for its extras, loaded once for the whole page. */
export interface ExtrasContext {
  extras: ReadonlySet<string>
  /** In request order: attribute groups follow it, as Flickr's do */
  urlExtras: readonly string[]
  viewerNsid: string | null
  baseUrl: string
  files: ReadonlyMap<string, ReadonlyMap<string, PhotoFileRow>>
  tags: ReadonlyMap<string, readonly PhotoTagRow[]>
  owners: ReadonlyMap<string, Account>
}

export async function loadExtras(
  services: Pick<Services, 'photoLists' | 'accounts'>,
  photos: readonly PhotoRow[],
  requested: readonly string[],
  viewerNsid: string | null,
  baseUrl: string,
): Promise<ExtrasContext> {
  const extras = new Set(requested.map((name) => name.toLowerCase()))
  const urlExtras = [...extras].filter((name) => name in URL_SUFFIX)
  const wantsTags = extras.has('tags') || extras.has('machine_tags')
  const wantsOwner = extras.has('owner_name') || extras.has('path_alias') || extras.has('icon_server') || extras.has('realname')
  const [fileRows, tagRows, owners] = await Promise.all([
    services.photoLists.filesFor(photos, urlExtras.map((name) => URL_SUFFIX[name]!)),
    wantsTags ? services.photoLists.tagsFor(photos) : Promise.resolve([]),
    wantsOwner ? ownersOf(services, photos) : Promise.resolve(new Map<string, Account>()),
  ])
  const files = new Map<string, Map<string, PhotoFileRow>>()
  for (const file of fileRows) {
    const forPhoto = files.get(file.photoId) ?? new Map<string, PhotoFileRow>()
    forPhoto.set(file.suffix, file)
    files.set(file.photoId, forPhoto)
  }
  const tags = new Map<string, PhotoTagRow[]>()
  for (const tag of tagRows) tags.set(tag.photoId, [...(tags.get(tag.photoId) ?? []), tag])
  return { extras, urlExtras, viewerNsid, baseUrl, files, tags, owners }
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
  const all: Attrs = { ...attrs, ...extraAttrs(photo, ctx) }
  return ctx.extras.has('description') ? { name: 'photo', attrs: all, children: [textEl('description', photo.description)] } : { name: 'photo', attrs: all }
}

function extraAttrs(photo: PhotoRow, ctx: ExtrasContext): Attrs {
  const has = (name: string) => ctx.extras.has(name)
  const isOwner = ctx.viewerNsid === photo.ownerNsid
  const owner = ctx.owners.get(photo.ownerNsid)
  const tags = ctx.tags.get(photo.id) ?? []
  const attrs: Attrs = {}
  if (has('license')) attrs.license = '0'
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
  // Retake stores no locations: the "not geotagged" form.
  if (has('geo')) Object.assign(attrs, { latitude: '0', longitude: '0', accuracy: '0', context: 0 })
  if (has('media')) Object.assign(attrs, { media: 'photo', media_status: 'ready' })
  Object.assign(attrs, urlAttrs(photo, ctx, isOwner))
  if (has('path_alias')) attrs.pathalias = ''
  if (has('safety_level')) attrs.safety_level = String(Math.max(0, photo.safetyLevel - 1))
  return attrs
}

/** `url_X height_X width_X` per size that exists; url_o only for the owner (it carries the original secret). */
function urlAttrs(photo: PhotoRow, ctx: ExtrasContext, isOwner: boolean): Attrs {
  const attrs: Attrs = {}
  const files = ctx.files.get(photo.id)
  for (const name of ctx.urlExtras) {
    const suffix = URL_SUFFIX[name]!
    const file = files?.get(suffix)
    if (!file || (suffix === 'o' && !isOwner)) continue
    const label = name.slice(4)
    attrs[name] = photoSourceUrl(ctx.baseUrl, photo, suffix)
    attrs[`height_${label}`] = file.height
    attrs[`width_${label}`] = file.width
  }
  return attrs
}
