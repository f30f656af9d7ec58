import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../db/account-repository.js'
import type { PhotosetHead, PhotosetView } from '../../db/album-repository.js'
import type { PhotoRow } from '../../db/photo-repository.js'
import { photoPageUrl } from '../../domain/photos/photo-urls.js'
import { canViewSet } from '../../domain/photos/visibility.js'
import type { Services } from '../../services.js'
import { escapeHtml } from '../auth-pages.js'
import { imgTag, layout, notFound, ownerNamed, pageNumber, sendHtml, titleOf, type SizeEntry } from './web-pages.js'

// Album pages: `/photos/{user}/albums/` lists a user's albums, `/photos/{user}/albums/{set id}/` shows
// one (the `url` photosets.create answers). As every page: anonymous visitors only, so an album is shown
// when its primary photo is public (the visibility rule with no viewer), and only its public photos.

const PER_PAGE = 50
const PHOTOSET_ID = /^\d{1,20}$/

/** Registers the album routes in the `/photos` scope of web-pages.ts. */
export function registerAlbumPages(photos: FastifyInstance, services: Services): void {
  photos.get('/:user/albums', (request, reply) => albumsPage(services, request, reply))
  photos.get('/:user/albums/:setId', (request, reply) => albumPage(services, request, reply))
}

/** The photostream's albums block: its public albums, linked, or nothing when there are none. */
export async function albumsSection(services: Services, owner: Account): Promise<string> {
  const { sets } = await services.albums.list(owner.nsid, null)
  if (sets.length === 0) return ''
  return `<h2><a href="${escapeHtml(albumsUrl(owner))}">Albums</a></h2>\n${await albumGrid(services, owner, sets)}`
}

function albumsUrl(owner: Account): string {
  return `/photos/${owner.nsid}/albums/`
}

function albumUrl(owner: Account, set: PhotosetHead): string {
  return `${albumsUrl(owner)}${set.id}/`
}

/** The q square of a photo, whose size follows from the photo's own (see userPage in web-pages.ts). */
function squareThumb(photo: PhotoRow, alt: string): string {
  const side = Math.min(150, photo.width, photo.height)
  const thumb: SizeEntry = { label: 'Large Square', pageCode: 'q', suffix: 'q', width: side, height: side }
  return imgTag(photo, thumb, alt)
}

async function albumGrid(services: Services, owner: Account, sets: readonly PhotosetView[]): Promise<string> {
  const primaries = await Promise.all(sets.map((set) => services.photos.byId(set.primaryPhotoId)))
  const cells = sets.map((set, i) => {
    const primary = primaries[i]
    const title = set.title.trim() === '' ? 'Untitled album' : set.title
    const count = `${set.photoCount} ${set.photoCount === 1 ? 'photo' : 'photos'}`
    const picture = primary ? squareThumb(primary, title) : ''
    return `<li><a href="${escapeHtml(albumUrl(owner, set))}">${picture}<br>${escapeHtml(title)}</a> <small>${count}</small></li>`
  })
  return `<ul class="grid">\n${cells.join('\n')}\n</ul>`
}

async function albumsPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user } = request.params as { user: string }
  const owner = await ownerNamed(services, user)
  if (!owner) return notFound(reply)
  const { sets, total } = await services.albums.list(owner.nsid, null)
  const grid = sets.length > 0 ? await albumGrid(services, owner, sets) : '<p>No public albums yet.</p>'
  const body = `<nav><a href="/">Retake</a> › <a href="${escapeHtml(`/photos/${owner.nsid}/`)}">${escapeHtml(owner.username)}</a></nav>
<h1>${escapeHtml(owner.username)}’s albums</h1>
<p>${total} ${total === 1 ? 'album' : 'albums'}</p>
${grid}`
  return sendHtml(reply, 200, layout(`${owner.username}’s albums`, body))
}

async function albumPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user, setId } = request.params as { user: string; setId: string }
  const owner = await ownerNamed(services, user)
  if (!owner || !PHOTOSET_ID.test(setId)) return notFound(reply)
  const set = await services.albums.visibleHead(setId, null).catch(() => undefined)
  // The URL must name the set's owner, and anonymous visitors see it only through a public primary.
  if (!set || set.ownerNsid !== owner.nsid || !canViewSet(set.primary, null)) return notFound(reply)
  const page = pageNumber((request.query as Record<string, unknown>).page)
  const { photos, total } = await services.albums.photos(set, null, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
  const pages = Math.max(1, Math.ceil(total / PER_PAGE))
  const title = set.title.trim() === '' ? 'Untitled album' : set.title
  const cells = photos.map((photo) => `<li><a href="${escapeHtml(photoPageUrl('', owner.nsid, photo.id))}">${squareThumb(photo, titleOf(photo))}</a></li>`)
  const base = albumUrl(owner, set)
  const pager = [
    page > 1 ? `<a href="${escapeHtml(`${base}?page=${Math.min(page - 1, pages)}`)}" rel="prev">Previous</a>` : '',
    page < pages ? `<a href="${escapeHtml(`${base}?page=${page + 1}`)}" rel="next">Next</a>` : '',
  ].join('')
  const description = set.description.trim() === '' ? '' : `<p class="description">${escapeHtml(set.description)}</p>`
  const body = `<nav><a href="/">Retake</a> › <a href="${escapeHtml(`/photos/${owner.nsid}/`)}">${escapeHtml(owner.username)}</a> › <a href="${escapeHtml(albumsUrl(owner))}">Albums</a></nav>
<h1>${escapeHtml(title)}</h1>
${description}
<p>${total} public ${total === 1 ? 'photo' : 'photos'}${pages > 1 ? ` · page ${page} of ${pages}` : ''}</p>
${cells.length > 0 ? `<ul class="grid">\n${cells.join('\n')}\n</ul>` : '<p>No photos on this page.</p>'}
${pager === '' ? '' : `<p class="pager">${pager}</p>`}`
  return sendHtml(reply, 200, layout(title, body))
}
