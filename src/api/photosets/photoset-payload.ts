import type { Account } from '../../db/account-repository.js'
import type { PhotosetView } from '../../db/album-repository.js'
import type { PhotoRow } from '../../db/photo-repository.js'
import { photoSourceUrl } from '../../domain/photos/photo-urls.js'
import type { PublicUrls } from '../../http/public-urls.js'
import type { Services } from '../../services.js'
import { el, textEl, type Attrs, type Element } from '../payload.js'
import { PHOTO_FARM } from '../photos/get-info.js'

// The `<photoset>` of getList and getInfo (reference part 2 §1.2, §1.4), with JSON types as Flickr's:
// numbers for farm, photos, videos and flags; strings for ids, secrets, servers, dates and counters.

/** The set's web page (photosets.create answers it as `url`). */
export function albumPageUrl(baseUrl: string, ownerNsid: string, photosetId: string): string {
  return `${baseUrl}/photos/${ownerNsid}/albums/${photosetId}/`
}

export function photosetElement(set: PhotosetView, owner: Account | undefined, children: Element[] = []): Element {
  const attrs: Attrs = {
    id: set.id,
    owner: set.ownerNsid,
    username: owner?.username ?? '',
    primary: set.primaryPhotoId,
    // The primary's current secret and server, read through the join: a replace moves them.
    secret: set.primary.secret,
    server: set.primary.server,
    farm: PHOTO_FARM,
    count_views: '0',
    count_comments: '0',
    count_photos: set.photoCount,
    count_videos: 0,
    can_comment: 0,
    date_create: String(set.dateCreate),
    date_update: String(set.dateUpdate),
    photos: set.photoCount,
    videos: 0,
    visibility_can_see_set: 1,
    needs_interstitial: 0,
  }
  return el('photoset', attrs, textEl('title', set.title), textEl('description', set.description), ...children)
}

/** Accounts of the sets' owners, by NSID (lists are one owner's, so usually one lookup). */
export async function ownersOfSets(services: Pick<Services, 'accounts'>, sets: readonly PhotosetView[]): Promise<Map<string, Account>> {
  const nsids = [...new Set(sets.map((set) => set.ownerNsid))]
  const accounts = await Promise.all(nsids.map((nsid) => services.accounts.byNsid(nsid)))
  return new Map(accounts.filter((a): a is Account => a !== undefined).map((a) => [a.nsid, a]))
}

/** `<prevphoto>` / `<nextphoto>` of the context methods; `id="0"` when there is none (Flickr's doc). */
export function contextPhoto(name: 'prevphoto' | 'nextphoto', photo: PhotoRow | undefined, urls: PublicUrls, inPath: string): Element {
  if (!photo) return el(name, { id: '0' })
  return el(name, {
    id: photo.id,
    owner: photo.ownerNsid,
    secret: photo.secret,
    server: photo.server,
    farm: PHOTO_FARM,
    title: photo.title,
    url: `/photos/${photo.ownerNsid}/${photo.id}/in/${inPath}/`,
    thumb: photoSourceUrl(urls.static, photo, 's'),
    license: '0',
    media: 'photo',
    is_faved: 0,
  })
}
