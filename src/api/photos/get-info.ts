import type { Account } from '../../db/account-repository.js'
import type { PhotoRow, PhotoTagRow } from '../../db/photo-repository.js'
import { photoPageUrl } from '../../domain/photos/photo-urls.js'
import { tagId } from '../../domain/photos/photo-edits.js'
import { el, list, textEl, type Element } from '../payload.js'
import { geoAttrs } from '../photo-extras.js'
import { photoIdArg, textArg } from '../args.js'
import { defineMethod } from '../registry.js'

// Flickr's farm for static server 65535 (see PHOTO_SERVER); clients build farm URLs from it.
export const PHOTO_FARM = 66

// Machine tags keep their namespace:predicate=value shape after normalisation (tags.ts).
const MACHINE_TAG = /^[a-z_]\w*:\w+=.+$/

/**
 * Element shape and JSON types follow real Flickr output (reference §6.3): numbers where Flickr's
 * JSON has numbers (farm, isfavorite, rotation, visibility, takenunknown, …), strings elsewhere.
 */
export const photosGetInfo = defineMethod({
  name: 'flickr.photos.getInfo',
  description: 'Get information about a photo. The calling user must have permission to view the photo.',
  perms: 'none',
  args: {
    photo_id: photoIdArg('The id of the photo to get information for.'),
    secret: textArg('The secret for the photo. If the correct secret is passed then permissions checking is skipped.'),
  },
  async handle(ctx, args) {
    const { services } = ctx
    const viewer = ctx.actor?.user.nsid ?? null
    const photo = await services.photoService.viewable(viewer, args.photo_id, args.secret)
    const [account, tags] = await Promise.all([services.accounts.byNsid(photo.ownerNsid), services.photos.tags(photo.id)])
    return [infoElement({ photo, owner: viewer === photo.ownerNsid, account, tags, baseUrl: ctx.baseUrl })]
  },
})

interface InfoInput {
  photo: PhotoRow
  /** Whether the caller owns the photo (sees its original's secret and permissions) */
  owner: boolean
  account: Account | undefined
  tags: PhotoTagRow[]
  baseUrl: string
}

/** `<tag id author authorname raw machine_tag>clean</tag>`, as getInfo and tags.getListPhoto show them. */
export function tagElements({ photo, account, tags }: Pick<InfoInput, 'photo' | 'account' | 'tags'>): Element[] {
  return tags.map((tag) =>
    textEl('tag', tag.clean, {
      id: tagId(photo, tag.position),
      author: photo.ownerNsid,
      authorname: account?.username ?? '',
      raw: tag.raw,
      machine_tag: MACHINE_TAG.test(tag.clean) ? 1 : 0,
    }),
  )
}

function infoChildren(input: InfoInput): Element[] {
  const { photo, owner, account, baseUrl } = input
const children: Element[] = [
    el('owner', {
      nsid: photo.ownerNsid,
      username: account?.username ?? '',
      realname: account?.fullname ?? '',
      location: '',
      iconserver: '0',
      iconfarm: 0,
      path_alias: '',
    }),
    textEl('title', photo.title),
    textEl('description', photo.description),
    el('visibility', { ispublic: photo.isPublic, isfriend: photo.isFriend, isfamily: photo.isFamily }),
    el('dates', {
      posted: String(photo.datePosted),
      taken: photo.dateTaken,
      takengranularity: String(photo.dateTakenGranularity),
      takenunknown: 0,
      lastupdate: String(photo.lastUpdate),
    }),
  ]
  // Comment and meta permissions (3 = everybody, 2 = contacts) are the owner's business only.
  if (owner) children.push(el('permissions', { permcomment: 3, permaddmeta: 2 }))
  children.push(
    el('editability', { cancomment: owner ? 1 : 0, canaddmeta: owner ? 1 : 0 }),
    el('publiceditability', { cancomment: 1, canaddmeta: 0 }),
    el('usage', { candownload: 1, canblog: owner ? 1 : 0, canprint: owner ? 1 : 0, canshare: 1 }),
    textEl('comments', '0'),
    el('notes', undefined, list('note', [])),
    el('people', { haspeople: 0 }),
    el('tags', undefined, list('tag', tagElements(input))),
    ...locationElements(photo),
    el('urls', undefined, list('url', [textEl('url', photoPageUrl(baseUrl, photo.ownerNsid, photo.id), { type: 'photopage' })])),
  )
  return children
}

/** `<location>` and `<geoperms>` for a geotagged photo (public geo permissions: Retake has no contacts). */
function locationElements(photo: PhotoRow): Element[] {
  const geo = geoAttrs(photo)
  if (geo.accuracy === '0') return []
  const { latitude, longitude, accuracy, context } = geo
  return [el('location', { latitude, longitude, accuracy, context }), el('geoperms', { ispublic: 1, iscontact: 0, isfriend: 0, isfamily: 0 })]
}

function infoElement(input: InfoInput): Element {
  const { photo, owner } = input
  const attrs = {
    id: photo.id,
    secret: photo.secret,
    server: photo.server,
    farm: PHOTO_FARM,
    dateuploaded: String(photo.datePosted),
    isfavorite: 0,
    license: String(photo.license),
    // Upload's safety_level is 1..3; getInfo reports 0 safe, 1 moderate, 2 restricted.
    safety_level: String(Math.max(0, photo.safetyLevel - 1)),
    rotation: 0,
    // The original's secret and format only for those who may fetch the original (§6.1).
    originalsecret: owner ? photo.originalSecret : undefined,
    originalformat: owner ? photo.originalFormat : undefined,
    views: String(photo.views),
    media: 'photo',
  }
  return el('photo', attrs, ...infoChildren(input))
}
