import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CONTENT_TYPES } from '../../domain/photos/photo-keys.js'
import { extensionFor, secretFor } from '../../domain/photos/photo-urls.js'
import { secretMatches } from '../../domain/photos/visibility.js'
import type { Services } from '../../services.js'
import { BlobNotFoundError, type ByteRange } from '../../storage/blob-store.js'

// Flickr-style static size URLs (reference §6.1): `/{server}/{id}_{secret}[_{suffix}].{ext}`.
// Not a Flickr API surface, so answers are plain HTTP statuses from this plugin's own handler.
// The secret in the URL is the capability: it is what lets a private photo be seen at all.

// An optional `_d` before the extension asks for a download (Content-Disposition: attachment), as on Flickr.
const FILE_NAME = /^(\d{1,20})_([0-9a-f]{1,40})(?:_([a-z]))?(_d)?\.([a-z0-9]{1,8})$/
const SERVED_SUFFIXES = new Set(['s', 'q', 't', 'm', 'n', 'w', 'z', 'c', 'b', 'h', 'k', 'o'])
const CACHE_CONTROL = 'public, max-age=31536000, immutable'

export async function registerStaticPhotoRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => {
      request.log.error({ err: error }, 'static photo request failed')
      return reply.code(500).type('text/plain; charset=utf-8').send('Internal Server Error\n')
    })
    scope.route({
      method: ['GET', 'HEAD'],
      // Numeric server only, so `/services/...` and web pages never land here.
      url: '/:server(^\\d+$)/:file',
      // HEAD is handled explicitly: Fastify's automatic HEAD would read the whole blob and discard it.
      exposeHeadRoute: false,
      handler: (request, reply) => servePhotoFile(services, request, reply),
    })
  })
}

async function servePhotoFile(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const { server, file } = request.params as { server: string; file: string }
  const match = FILE_NAME.exec(file)
  if (!match) return notFound(reply)
  const [, photoId, secret, suffixPart, downloadPart, extension] = match as unknown as [string, string, string, string | undefined, string | undefined, string]
  // `{id}_{secret}_d.jpg`: the 500 px size as a download (no `d` size exists).
  const download = downloadPart !== undefined || suffixPart === 'd'
  const suffix = suffixPart === 'd' ? '' : (suffixPart ?? '')
  if (suffix !== '' && !SERVED_SUFFIXES.has(suffix)) return notFound(reply)

  const found = await services.photos.currentFile(photoId, suffix)
  // The current revision's secret only: URLs of a replaced revision stop working at once (§7).
  if (!found || found.photo.server !== server) return notFound(reply)
  // The URL's secret is the capability (visibility.ts): it names this revision, public photo or not.
  if (!secretMatches(secret, secretFor(found.photo, suffix)) || extension !== extensionFor(found.photo, suffix)) return notFound(reply)
  const publicBase = services.config.publicBaseUrl
  if (publicBase !== null) {
    // Checked here, served from there: the key carries the revision's secret, so the target dies with it.
    const target = `${publicBase.replace(/\/+$/, '')}/${services.config.s3Prefix ?? ''}${found.blobKey}`
    return reply.code(302).header('Location', target).header('Cache-Control', CACHE_CONTROL).send()
  }
  const stat = await services.blobs.stat(found.blobKey)
  if (!stat) return notFound(reply) // released by a replace or delete committed since the lookup

  const contentType = suffix === 'o' ? (CONTENT_TYPES[found.photo.originalFormat] ?? 'application/octet-stream') : 'image/jpeg'
  reply.header('ETag', stat.etag).header('Cache-Control', CACHE_CONTROL).header('Accept-Ranges', 'bytes')
  reply.header('Last-Modified', stat.modifiedAt.toUTCString())
  // The file name without `_d` (reference part 2 §9).
  if (download) reply.header('Content-Disposition', `attachment; filename=${photoId}_${secret}${suffix ? `_${suffix}` : ''}.${extension}`).header('Access-Control-Allow-Origin', '*')
  if (etagMatches(request.headers['if-none-match'], stat.etag)) return reply.code(304).send()

  reply.type(contentType)
  const ifRange = request.headers['if-range']
  const range = ifRange === undefined || ifRange === stat.etag ? parseRange(request.headers.range, stat.size) : null
  if (range === 'unsatisfiable') {
    return reply.code(416).header('Content-Range', `bytes */${stat.size}`).type('text/plain; charset=utf-8').send()
  }
  if (range) {
    reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${stat.size}`)
    reply.header('Content-Length', String(range.end - range.start + 1))
  } else {
    reply.code(200).header('Content-Length', String(stat.size))
  }
  // HEAD: same headers, no body, and the blob is never opened.
  if (request.method === 'HEAD') return reply.send()
  try {
    return reply.send(await services.blobs.get(found.blobKey, range ?? undefined))
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      reply.removeHeader('Content-Length').removeHeader('Content-Range')
      return notFound(reply)
    }
    throw error
  }
}

function notFound(reply: FastifyReply) {
  return reply.code(404).header('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send('Not Found\n')
}

/** `If-None-Match` uses weak comparison (RFC 9110 13.1.2): `W/` prefixes are ignored, `*` matches. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const strip = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag))
}

/**
 * One `bytes=` range (RFC 9110 14.1.2) as an inclusive range clamped to the blob, 'unsatisfiable',
 * or null to serve the whole blob (no header, bad syntax, or several ranges: a full 200 is allowed).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null
  const match = /^bytes=\s*(\d*)-(\d*)\s*$/.exec(header)
  if (!match) return null
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return null
  if (first === '') {
    const length = Number(last)
    if (length === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  if (last !== '' && Number(last) < start) return null // invalid, so ignored
  if (start >= size) return 'unsatisfiable'
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) }
}
