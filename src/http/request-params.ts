import type { FastifyRequest } from 'fastify'
import type { ParamList } from './flickr-auth.js'
import { isMultipart, readMultipart } from './multipart.js'

/** Query-string arguments in wire order (`+` decodes to a space, as form encoding says). */
export function queryParams(request: FastifyRequest): ParamList {
  const raw = request.raw.url ?? ''
  const at = raw.indexOf('?')
  return at === -1 ? [] : [...new URLSearchParams(raw.slice(at + 1))]
}

/**
 * Arguments by name, the first value winning when a name repeats. Authentication reads the same
 * first values, and the signature covers every value, so what is acted on is always signed.
 */
export function firstValues(pairs: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const map = new Map<string, string>()
  for (const [name, value] of pairs) if (!map.has(name)) map.set(name, value)
  return map
}

// A host a URL can carry: DNS labels, an IPv4 address or a bracketed IPv6 literal, and an optional port.
const USABLE_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/

/** The request's Host (or trusted X-Forwarded-Host) when it is a usable authority, else null. */
export function requestHost(request: FastifyRequest): string | null {
  const host = request.host
  if (!host || host.length > 260 || !USABLE_HOST.test(host)) return null
  const port = /:(\d+)$/.exec(host)?.[1]
  return port !== undefined && Number(port) > 65535 ? null : host
}

/**
 * The URL the client used, without the query: the OAuth base-string URL (RFC 5849 3.4.1.2); null
 * when the Host header cannot form one, so no signature can be checked against it.
 */
export function requestBaseUrl(request: FastifyRequest): string | null {
  const host = requestHost(request)
  if (host === null) return null
  const raw = request.raw.url ?? '/'
  const at = raw.indexOf('?')
  const path = at === -1 ? raw : raw.slice(0, at)
  return `${request.protocol}://${host}${path}`
}

/** Origin that URLs in responses use: the configured public URL, else the request's own (localhost if unusable). */
export function publicOrigin(request: FastifyRequest, publicUrl: string | null): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '')
  return `${request.protocol}://${requestHost(request) ?? 'localhost'}`
}

/** Text-field limits of REST and OAuth multipart bodies: Flickr calls are small. */
export const TEXT_BODY_LIMITS = { fileSize: 0, files: 10, fields: 200, fieldSize: 1024 * 1024, parts: 210 }

/**
 * Text fields of a REST, OAuth or page body: urlencoded (parsed by the edge's content-type parser into
 * a ParamList) or multipart (flickr-sdk's writes). File parts are drained and ignored.
 */
export async function bodyParams(request: FastifyRequest): Promise<ParamList> {
  if (isMultipart(request)) return readMultipart(request, TEXT_BODY_LIMITS, async ({ stream }) => void stream.resume())
  return Array.isArray(request.body) ? (request.body as ParamList) : []
}
