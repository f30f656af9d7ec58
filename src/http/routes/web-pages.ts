import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../db/account-repository.js'
import type { PhotoFileRow, PhotoRow } from '../../db/photo-repository.js'
import { photoPageUrl, photoSourceUrl, sizePageUrl } from '../../domain/photos/photo-urls.js'
import { canView, listingFilter } from '../../domain/photos/visibility.js'
import { flickrSizes } from '../../images/sizes.js'
import type { Services } from '../../services.js'
import { renderView } from '../views/render.js'
import { publicOrigin } from '../request-params.js'
import { notFound, sendHtml, sendView, viewerOf } from '../web/web-kit.js'
import { registerWebApp } from '../web/web-app.js'
import { albumCells, registerAlbumPages } from './album-pages.js'

// The web pages getInfo's `photopage` and getSizes' `url` link to (reference §6.1): photo page, "all
// sizes" page, a user's photostream, and a home page. Not a Flickr API surface, so answers are plain
// HTTP statuses and HTML (Eta templates in ../views) from this plugin's own handlers.
// Visitors see what visibility.ts lets them: anonymous ones public photos only, a signed-in owner
// everything of theirs; anything else is "Not Found" (never "Forbidden": no probing for private ids).
// Links are root-relative so they stay same-origin (CSP img-src 'self') behind any proxy or public URL.

const PER_PAGE = 50
// Keeps the SQL offset a sane integer on both engines; pages past the end are just empty.
const MAX_PAGE = 1_000_000
const PHOTO_ID = /^\d{1,20}$/
// Originals browsers can show inline; the others (tiff, heic) get a download link only.
const INLINE_FORMATS = new Set(['jpg', 'png', 'gif', 'webp', 'avif'])
const ENDPOINTS = [
  ['/services/rest/', 'REST methods (XML, JSON, JSONP)'],
  ['/services/upload/', 'photo upload'],
  ['/services/replace/', 'replacing a photo’s file'],
  ['/services/oauth/request_token', 'OAuth 1.0a, with /services/oauth/authorize and /services/oauth/access_token'],
  ['/services/auth/', 'legacy api_sig authentication'],
] as const

export interface SizeEntry {
  label: string
  pageCode: string
  suffix: string
  width: number
  height: number
}

export interface PhotoView {
  owner: Account
  photo: PhotoRow
  sizes: SizeEntry[]
  /** The signed-in viewer is the photo's owner */
  isOwner: boolean
}

export async function registerWebPages(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500
      // A refused form (CSRF token missing or stale, body too large) is the browser's problem: say so.
      if (status >= 400 && status < 500) return sendHtml(reply, status, renderView('error', { text: refusalText(status) }))
      request.log.error({ err: error }, 'web page request failed')
      return sendHtml(reply, 500, renderView('error', {}))
    })
    await registerWebApp(scope, services)
    scope.get('/', (request, reply) => sendView(services, request, reply, 200, 'home', { endpoints: ENDPOINTS }))
    await scope.register(
      async (photos) => {
        // Anything else under /photos/ is a page that does not exist: answer it as a page too.
        photos.setNotFoundHandler((_request, reply) => notFound(reply))
        photos.get('/:user', (request, reply) => userPage(services, request, reply))
        photos.get('/:user/:photoId', (request, reply) => photoPage(services, request, reply))
        photos.get('/:user/:photoId/sizes/:code', (request, reply) => sizesPage(services, request, reply))
        registerAlbumPages(photos, services)
      },
      { prefix: '/photos' },
    )
  })
}

function refusalText(status: number): string {
  if (status === 403) return 'This form was refused: it has expired or did not come from this site. Go back, reload the page and try again.'
  if (status === 413) return 'What was sent is too large.'
  return 'The request could not be understood. Go back and try again.'
}

/** The owner named in the URL: an NSID, or a username (Flickr accepts a path alias there). */
export async function ownerNamed(services: Services, user: string): Promise<Account | undefined> {
  return (await services.accounts.byNsid(user)) ?? (await services.accounts.byUsername(user))
}

/** The photo if this viewer may see it and the URL names its owner; its current sizes in getSizes' order. */
export async function visiblePhoto(services: Services, request: FastifyRequest, user: string, photoId: string): Promise<PhotoView | undefined> {
  if (!PHOTO_ID.test(photoId)) return undefined
  const [photo, owner, viewer] = await Promise.all([services.photos.byId(photoId), ownerNamed(services, user), viewerOf(services, request)])
  // Web pages take no secret: a private photo is seen by its signed-in owner only.
  if (!photo || !owner || photo.ownerNsid !== owner.nsid || !canView(photo, { viewerNsid: viewer?.nsid ?? null })) return undefined
  const files = await services.photos.files(photo.id, photo.revision)
  return { owner, photo, sizes: sizeEntries(files), isOwner: viewer?.nsid === owner.nsid }
}

/** Table order, then Original: the same list (and page codes) getSizes answers with. */
function sizeEntries(files: PhotoFileRow[]): SizeEntry[] {
  const entries: SizeEntry[] = []
  for (const size of flickrSizes) {
    const file = files.find((f) => f.suffix === size.suffix)
    if (file) entries.push({ label: size.label, pageCode: size.pageCode, suffix: size.suffix, width: file.width, height: file.height })
  }
  const original = files.find((f) => f.suffix === 'o')
  if (original) entries.push({ label: 'Original', pageCode: 'o', suffix: 'o', width: original.width, height: original.height })
  return entries
}

/** Medium 640 when there is one, else the largest non-square size up to 1024 px (the page's picture). */
function displaySize(sizes: SizeEntry[]): SizeEntry | undefined {
  const fitting = sizes.filter((s) => s.suffix !== 'o' && s.suffix !== 's' && s.suffix !== 'q' && Math.max(s.width, s.height) <= 1024)
  return fitting.find((s) => s.suffix === 'z') ?? fitting.at(-1)
}

export function titleOf(photo: PhotoRow): string {
  return photo.title.trim() === '' ? 'Untitled' : photo.title
}

/** Private photos carry a badge on their owner's pages (nobody else sees them). */
export function visibilityBadge(photo: PhotoRow): string | undefined {
  return photo.isPublic === 1 ? undefined : 'Private'
}

/** The q square of a photo: always min(150, shorter side) (sizes.ts), so no query per thumbnail. */
export function squareThumb(photo: PhotoRow): { src: string; side: number } {
  return { src: photoSourceUrl('', photo, 'q'), side: Math.min(150, photo.width, photo.height) }
}

/** Flickr's granularity: 0 exact, 4 month, 6 year, 8 circa (a year). */
function takenText(photo: PhotoRow): string {
  const taken = photo.dateTaken
  switch (photo.dateTakenGranularity) {
    case 4:
      return taken.slice(0, 7)
    case 6:
      return taken.slice(0, 4)
    case 8:
      return `circa ${taken.slice(0, 4)}`
    default:
      return taken
  }
}

async function photoPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user, photoId } = request.params as { user: string; photoId: string }
  const view = await visiblePhoto(services, request, user, photoId)
  if (!view) return notFound(reply)
  const { owner, photo, sizes } = view
  const shown = displaySize(sizes)
  const allSizes = shown ?? sizes.at(-1)
  const origin = publicOrigin(request, services.config.publicUrl)
  const tags = (await services.photos.tags(photo.id)).map((t) => t.raw)
  const data = {
    title: titleOf(photo),
    owner,
    photo,
    badge: view.isOwner ? visibilityBadge(photo) : undefined,
    shown: shown && { src: photoSourceUrl('', photo, shown.suffix), width: shown.width, height: shown.height },
    // Flickr allows a few HTML tags in descriptions; escaping everything is the safe choice (no
    // sanitizer to keep correct), and white-space: pre-line still shows the line breaks.
    description: photo.description.trim(),
    taken: takenText(photo),
    posted: new Date(photo.datePosted * 1000).toISOString().slice(0, 10),
    tags,
    sizesLink: allSizes && sizePageUrl('', owner.nsid, photo.id, allSizes.pageCode),
    edit: view.isOwner,
    sizeUrls: sizes.map((s) => ({ ...s, url: photoSourceUrl(origin, photo, s.suffix) })),
    canReplace: owner.isPro === 1,
    script: view.isOwner && owner.isPro === 1 ? 'replace.js' : undefined,
    tagText: tags.map((t) => (t.includes(' ') ? `"${t}"` : t)).join(' '),
    replaced: (request.query as Record<string, unknown>).replaced === '1',
  }
  return sendView(services, request, reply, 200, 'photo', data)
}

async function sizesPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user, photoId, code } = request.params as { user: string; photoId: string; code: string }
  const view = await visiblePhoto(services, request, user, photoId)
  const chosen = view?.sizes.find((s) => s.pageCode === code)
  if (!view || !chosen) return notFound(reply)
  const { owner, photo, sizes } = view
  const title = titleOf(photo)
  return sendView(services, request, reply, 200, 'sizes', {
    title: `All sizes of ${title}`,
    owner,
    photoTitle: title,
    photoLink: photoPageUrl('', owner.nsid, photo.id),
    sizes: sizes.map((s) => ({ ...s, current: s === chosen, href: sizePageUrl('', owner.nsid, photo.id, s.pageCode) })),
    chosen,
    source: photoSourceUrl('', photo, chosen.suffix),
    inline: chosen.suffix !== 'o' || INLINE_FORMATS.has(photo.originalFormat),
    format: photo.originalFormat,
  })
}

async function userPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user } = request.params as { user: string }
  const [owner, viewer] = await Promise.all([ownerNamed(services, user), viewerOf(services, request)])
  if (!owner) return notFound(reply)
  const isOwner = viewer?.nsid === owner.nsid
  const page = pageNumber((request.query as Record<string, unknown>).page)
  const { photos, total } = await services.photos.byOwner(owner.nsid, page, PER_PAGE, listingFilter(owner.nsid, viewer?.nsid))
  const pages = Math.max(1, Math.ceil(total / PER_PAGE))
  const cells = photos.map((photo) => ({
    href: photoPageUrl('', owner.nsid, photo.id),
    img: squareThumb(photo),
    alt: titleOf(photo),
    badge: isOwner ? visibilityBadge(photo) : undefined,
  }))
  const base = `/photos/${owner.nsid}/`
  const kind = isOwner ? '' : 'public '
  const count = `${total} ${kind}${total === 1 ? 'photo' : 'photos'}${pages > 1 ? ` · page ${page} of ${pages}` : ''}`
  return sendView(services, request, reply, 200, 'photostream', {
    title: `${owner.username}’s photos`,
    owner,
    count,
    cells,
    empty: total === 0 ? `No ${kind}photos yet.` : 'No photos on this page.',
    prev: page > 1 ? `${base}?page=${Math.min(page - 1, pages)}` : undefined,
    next: page < pages ? `${base}?page=${page + 1}` : undefined,
    albums: await albumCells(services, owner, viewer?.nsid ?? null),
  })
}

/** Missing or invalid page numbers mean the first page, as on Flickr; large ones are capped. */
export function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : 1
  return Math.min(Math.max(n, 1), MAX_PAGE)
}
