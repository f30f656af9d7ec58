import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../db/account-repository.js'
import type { PhotoFileRow, PhotoRow } from '../../db/photo-repository.js'
import { photoPageUrl, photoSourceUrl, sizePageUrl } from '../../domain/photos/photo-urls.js'
import { canView, listingFilter } from '../../domain/photos/visibility.js'
import { flickrSizes } from '../../images/sizes.js'
import type { Services } from '../../services.js'
import { escapeHtml } from '../auth-pages.js'
import { albumsSection, registerAlbumPages } from './album-pages.js'

// The web pages getInfo's `photopage` and getSizes' `url` link to (reference §6.1): photo page, "all
// sizes" page, a user's photostream, and a home page. Not a Flickr API surface, so answers are plain
// HTTP statuses and HTML from this plugin's own handlers, like the static photo URLs.
// There are no browser sessions yet: every page is what an anonymous visitor may see, so only public
// photos are shown and anything else is "Not Found" (never "Forbidden": no probing for private ids).
// Links are root-relative so they stay same-origin (CSP img-src 'self') behind any proxy or public URL.

const PER_PAGE = 50
// Keeps the SQL offset a sane integer on both engines; pages past the end are just empty.
const MAX_PAGE = 1_000_000
const PHOTO_ID = /^\d{1,20}$/
// Originals browsers can show inline; the others (tiff, heic) get a download link only.
const INLINE_FORMATS = new Set(['jpg', 'png', 'gif', 'webp', 'avif'])
// No scripts, no frames, no foreign content: the pages only embed this server's images and inline CSS.
const CSP = "default-src 'self'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f4f6;color:#222}
main{max-width:64rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin:.3rem 0 1rem}a{color:#0063dc}nav{font-size:.9rem;color:#666}
img{max-width:100%;height:auto}figure{margin:0 0 1rem;text-align:center}
.description{white-space:pre-line}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#666}dd{margin:0}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}.tags li{background:#eef;border-radius:4px;padding:0 .5rem}
.grid{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,150px);gap:.5rem}
.sizes li.current{font-weight:600}.pager{display:flex;gap:1rem}`

export interface SizeEntry {
  label: string
  pageCode: string
  suffix: string
  width: number
  height: number
}

interface PhotoView {
  owner: Account
  photo: PhotoRow
  sizes: SizeEntry[]
}

export async function registerWebPages(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => {
      request.log.error({ err: error }, 'web page request failed')
      return sendHtml(reply, 500, layout('Something went wrong', '<p>The page could not be shown. Please try again later.</p>'))
    })
    scope.get('/', (_request, reply) => sendHtml(reply, 200, homePage()))
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

/** A complete page; `body` must already be escaped HTML. Same look as the consent pages, wider. */
export function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | Retake</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`
}

export function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return (
    reply
      .code(status)
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      // Revalidate every time: a photo made private must disappear from pages at once.
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(html)
  )
}

/** The pages' 404, also the app's answer for any path no surface claims. */
export function notFound(reply: FastifyReply): FastifyReply {
  return sendHtml(reply, 404, layout('Not found', `<nav><a href="/">Retake</a></nav>\n<h1>Not found</h1>\n<p>This page does not exist, or is not public.</p>`))
}

function homePage(): string {
  const endpoint = (path: string, what: string) => `<li><code>${escapeHtml(path)}</code>: ${escapeHtml(what)}</li>`
  return layout(
    'Retake',
    `<h1>Retake</h1>
<p>A self-hosted photo server that speaks Flickr's API: Flickr clients and libraries work against it once pointed at this server.</p>
<h2>API endpoints</h2>
<ul>
${endpoint('/services/rest/', 'REST methods (XML, JSON, JSONP)')}
${endpoint('/services/upload/', 'photo upload')}
${endpoint('/services/replace/', 'replacing a photo’s file')}
${endpoint('/services/oauth/request_token', 'OAuth 1.0a, with /services/oauth/authorize and /services/oauth/access_token')}
${endpoint('/services/auth/', 'legacy api_sig authentication')}
</ul>
<p>Photo pages live at <code>/photos/{user}/{photo id}/</code>, a user’s public photos at <code>/photos/{user}/</code>.</p>`,
  )
}

/** The owner named in the URL: an NSID, or a username (Flickr accepts a path alias there). */
export async function ownerNamed(services: Services, user: string): Promise<Account | undefined> {
  return (await services.accounts.byNsid(user)) ?? (await services.accounts.byUsername(user))
}

/** The photo if it is public and the URL names its owner; its current sizes in getSizes' order. */
async function publicPhoto(services: Services, user: string, photoId: string): Promise<PhotoView | undefined> {
  if (!PHOTO_ID.test(photoId)) return undefined
  const [photo, owner] = await Promise.all([services.photos.byId(photoId), ownerNamed(services, user)])
  // Private photos are seen with their secret on the API; web pages take no secret, so they 404.
  if (!photo || !owner || photo.ownerNsid !== owner.nsid || !canView(photo, { viewerNsid: null })) return undefined
  const files = await services.photos.files(photo.id, photo.revision)
  return { owner, photo, sizes: sizeEntries(files) }
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

export function imgTag(photo: PhotoRow, size: SizeEntry, alt: string): string {
  return `<img src="${escapeHtml(photoSourceUrl('', photo, size.suffix))}" width="${size.width}" height="${size.height}" alt="${escapeHtml(alt)}">`
}

function breadcrumb(owner: Account, extra = ''): string {
  return `<nav><a href="/">Retake</a> › <a href="${escapeHtml(`/photos/${owner.nsid}/`)}">${escapeHtml(owner.username)}</a>${extra}</nav>`
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
  const view = await publicPhoto(services, user, photoId)
  if (!view) return notFound(reply)
  const { owner, photo, sizes } = view
  const title = titleOf(photo)
  const tags = await services.photos.tags(photo.id)
  const shown = displaySize(sizes)
  const picture = shown ? `<figure>${imgTag(photo, shown, title)}</figure>` : '<p>This photo is still being processed.</p>'
  const allSizes = shown ?? sizes.at(-1)
  const sizesLink = allSizes ? `<p><a href="${escapeHtml(sizePageUrl('', owner.nsid, photo.id, allSizes.pageCode))}">All sizes</a></p>` : ''
  // Flickr allows a few HTML tags in descriptions; escaping everything is the safe choice (no
  // sanitizer to keep correct), and white-space: pre-line still shows the line breaks.
  const description = photo.description.trim() === '' ? '' : `<p class="description">${escapeHtml(photo.description)}</p>`
  const tagList = tags.length === 0 ? '' : `<h2>Tags</h2>\n<ul class="tags">${tags.map((t) => `<li>${escapeHtml(t.raw)}</li>`).join('')}</ul>`
  const posted = new Date(photo.datePosted * 1000).toISOString().slice(0, 10)
  const body = `${breadcrumb(owner)}
<h1>${escapeHtml(title)}</h1>
${picture}
${description}
<dl>
<dt>By</dt><dd><a href="${escapeHtml(`/photos/${owner.nsid}/`)}">${escapeHtml(owner.username)}</a></dd>
<dt>Taken</dt><dd>${escapeHtml(takenText(photo))}</dd>
<dt>Uploaded</dt><dd><time datetime="${posted}">${posted}</time></dd>
</dl>
${tagList}
${sizesLink}`
  return sendHtml(reply, 200, layout(title, body))
}

async function sizesPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user, photoId, code } = request.params as { user: string; photoId: string; code: string }
  const view = await publicPhoto(services, user, photoId)
  const chosen = view?.sizes.find((s) => s.pageCode === code)
  if (!view || !chosen) return notFound(reply)
  const { owner, photo, sizes } = view
  const title = titleOf(photo)
  const items = sizes.map((s) => {
    const dims = `(${s.width} × ${s.height})`
    if (s === chosen) return `<li class="current">${escapeHtml(s.label)} ${dims}</li>`
    return `<li><a href="${escapeHtml(sizePageUrl('', owner.nsid, photo.id, s.pageCode))}">${escapeHtml(s.label)}</a> ${dims}</li>`
  })
  const source = photoSourceUrl('', photo, chosen.suffix)
  const inline = chosen.suffix !== 'o' || INLINE_FORMATS.has(photo.originalFormat)
  const picture = inline ? `<figure>${imgTag(photo, chosen, title)}</figure>` : `<p>Browsers may not show this format (${escapeHtml(photo.originalFormat)}): download it instead.</p>`
  const photoLink = `<a href="${escapeHtml(photoPageUrl('', owner.nsid, photo.id))}">${escapeHtml(title)}</a>`
  const body = `${breadcrumb(owner, ` › ${photoLink}`)}
<h1>All sizes of ${escapeHtml(title)}</h1>
<ul class="sizes">
${items.join('\n')}
</ul>
<h2>${escapeHtml(chosen.label)}: ${chosen.width} × ${chosen.height}</h2>
${picture}
<p><a href="${escapeHtml(source)}" download>Download the ${escapeHtml(chosen.label)} size</a></p>`
  return sendHtml(reply, 200, layout(`All sizes of ${title}`, body))
}

async function userPage(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { user } = request.params as { user: string }
  const owner = await ownerNamed(services, user)
  if (!owner) return notFound(reply)
  const page = pageNumber((request.query as Record<string, unknown>).page)
  const { photos, total } = await services.photos.byOwner(owner.nsid, page, PER_PAGE, listingFilter(owner.nsid, null))
  const pages = Math.max(1, Math.ceil(total / PER_PAGE))
  const cells = photos.map((photo) => {
    // The q size is always generated as a square of min(150, shorter side) (sizes.ts), so its
    // dimensions follow from the photo's without a query per thumbnail.
    const side = Math.min(150, photo.width, photo.height)
    const thumb: SizeEntry = { label: 'Large Square', pageCode: 'q', suffix: 'q', width: side, height: side }
    return `<li><a href="${escapeHtml(photoPageUrl('', owner.nsid, photo.id))}">${imgTag(photo, thumb, titleOf(photo))}</a></li>`
  })
  const base = `/photos/${owner.nsid}/`
  const pager = [
    page > 1 ? `<a href="${escapeHtml(`${base}?page=${Math.min(page - 1, pages)}`)}" rel="prev">Newer</a>` : '',
    page < pages ? `<a href="${escapeHtml(`${base}?page=${page + 1}`)}" rel="next">Older</a>` : '',
  ].join('')
  const count = `${total} public ${total === 1 ? 'photo' : 'photos'}${pages > 1 ? ` · page ${page} of ${pages}` : ''}`
  const grid = cells.length > 0 ? `<ul class="grid">\n${cells.join('\n')}\n</ul>` : `<p>${total === 0 ? 'No public photos yet.' : 'No photos on this page.'}</p>`
  const body = `<nav><a href="/">Retake</a></nav>
<h1>${escapeHtml(owner.username)}’s photos</h1>
<p>${count}</p>
${grid}
${pager === '' ? '' : `<p class="pager">${pager}</p>`}
${await albumsSection(services, owner)}`
  return sendHtml(reply, 200, layout(`${owner.username}’s photos`, body))
}

/** Missing or invalid page numbers mean the first page, as on Flickr; large ones are capped. */
export function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : 1
  return Math.min(Math.max(n, 1), MAX_PAGE)
}
