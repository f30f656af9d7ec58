import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../db/account-repository.js'
import type { PhotosetHead, PhotosetView } from '../../db/album-repository.js'
import { photoPageUrl } from '../../domain/photos/photo-urls.js'
import { canViewSet } from '../../domain/photos/visibility.js'
import type { Services } from '../../services.js'
import { notFound, sendView, viewerOf } from '../web/web-kit.js'
import { ownerNamed, pageNumber, squareThumb, titleOf, visibilityBadge } from './web-pages.js'

// Album pages: `/photos/{user}/albums/` lists a user's albums, `/photos/{user}/albums/{set id}/` shows
// one (the `url` photosets.create answers). Anonymous visitors see an album when its primary photo is
// public (the visibility rule with no viewer) and only its public photos; the signed-in owner sees all
// of it, with the forms of ../web/album-forms.ts.

const PER_PAGE = 50
const PHOTOSET_ID = /^\d{1,20}$/

/** Registers the album routes in the `/photos` scope of web-pages.ts. */
export function registerAlbumPages(photos: FastifyInstance, services: Services): void {
  photos.get('/:user/albums', (request, reply) => albumsPage(services, request, reply))
  photos.get('/:user/albums/:setId', (request, reply) => albumPage(services, request, reply))
}

export function albumsUrl(owner: Pick<Account, 'nsid'>): string {
  return `/photos/${owner.nsid}/albums/`
}

export function albumUrl(owner: Pick<Account, 'nsid'>, set: Pick<PhotosetHead, 'id'>): string {
  return `${albumsUrl(owner)}${set.id}/`
}

function albumTitle(set: { title: string }): string {
  return set.title.trim() === '' ? 'Untitled album' : set.title
}

/** Grid cells of the albums this viewer may see: their primary's square, title and count. */
export async function albumCells(services: Services, owner: Account, viewerNsid: string | null) {
  const { sets } = await services.albums.list(owner.nsid, viewerNsid)
  return cellsOf(services, owner, sets)
}

async function cellsOf(services: Services, owner: Account, sets: readonly PhotosetView[]) {
  const primaries = await Promise.all(sets.map((set) => services.photos.byId(set.primaryPhotoId)))
  return sets.map((set, i) => {
    const primary = primaries[i]
    const title = albumTitle(set)
    return {
      href: albumUrl(owner, set),
      img: primary && squareThumb(primary),
      alt: title,
      caption: title,
      small: `${set.photoCount} ${set.photoCount === 1 ? 'photo' : 'photos'}`,
    }
  })
}

async function albumsPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user } = request.params as { user: string }
  const [owner, viewer] = await Promise.all([ownerNamed(services, user), viewerOf(services, request)])
  if (!owner) return notFound(reply)
  const isOwner = viewer?.nsid === owner.nsid
  const { sets, total } = await services.albums.list(owner.nsid, viewer?.nsid ?? null)
  // The owner's photos to start an album with (its first photo becomes the primary).
  const candidates = isOwner ? (await services.photos.byOwner(owner.nsid, 1, PER_PAGE)).photos : []
  return sendView(services, request, reply, 200, 'albums', {
    title: `${owner.username}’s albums`,
    owner,
    count: `${total} ${total === 1 ? 'album' : 'albums'}`,
    cells: await cellsOf(services, owner, sets),
    empty: isOwner ? 'No albums yet.' : 'No public albums yet.',
    create: isOwner,
    candidates: candidates.map((photo) => ({ id: photo.id, title: titleOf(photo) })),
  })
}

async function albumPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user, setId } = request.params as { user: string; setId: string }
  const [owner, viewer] = await Promise.all([ownerNamed(services, user), viewerOf(services, request)])
  if (!owner || !PHOTOSET_ID.test(setId)) return notFound(reply)
  const viewerNsid = viewer?.nsid ?? null
  const set = await services.albums.visibleHead(setId, viewerNsid).catch(() => undefined)
  // The URL must name the set's owner, and others see it only through a primary they may see.
  if (!set || set.ownerNsid !== owner.nsid || !canViewSet(set.primary, viewerNsid)) return notFound(reply)
  const isOwner = viewerNsid === owner.nsid
  const page = pageNumber((request.query as Record<string, unknown>).page)
  const { photos, total } = await services.albums.photos(set, viewerNsid, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
  const pages = Math.max(1, Math.ceil(total / PER_PAGE))
  const base = albumUrl(owner, set)
  const members = new Set(photos.map((p) => p.id))
  const others = isOwner ? (await services.photos.byOwner(owner.nsid, 1, PER_PAGE)).photos.filter((p) => !members.has(p.id)) : []
  return sendView(services, request, reply, 200, 'album', {
    title: albumTitle(set),
    owner,
    set,
    description: set.description.trim(),
    count: `${total} ${isOwner ? '' : 'public '}${total === 1 ? 'photo' : 'photos'}${pages > 1 ? ` · page ${page} of ${pages}` : ''}`,
    cells: photos.map((photo) => ({ href: photoPageUrl('', owner.nsid, photo.id), img: squareThumb(photo), alt: titleOf(photo), badge: isOwner ? visibilityBadge(photo) : undefined })),
    prev: page > 1 ? `${base}?page=${Math.min(page - 1, pages)}` : undefined,
    next: page < pages ? `${base}?page=${page + 1}` : undefined,
    manage: isOwner,
    action: base,
    members: photos.map((photo) => ({ id: photo.id, title: titleOf(photo), primary: photo.id === set.primary.id })),
    others: others.map((photo) => ({ id: photo.id, title: titleOf(photo) })),
  })
}
