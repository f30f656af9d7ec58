import type { FastifyRequest } from 'fastify'
import type { ParamList } from './flickr-auth.js'

/** Query-string arguments in wire order (`+` decodes to a space, as form encoding says). */
export function queryParams(request: FastifyRequest): ParamList {
  const raw = request.raw.url ?? ''
  const at = raw.indexOf('?')
  return at === -1 ? [] : [...new URLSearchParams(raw.slice(at + 1))]
}

/** The URL the client used, without the query: the OAuth base-string URL (RFC 5849 3.4.1.2). */
export function requestBaseUrl(request: FastifyRequest): string {
  const raw = request.raw.url ?? '/'
  const at = raw.indexOf('?')
  const path = at === -1 ? raw : raw.slice(0, at)
  return `${request.protocol}://${request.host}${path}`
}

/** Origin that URLs in responses use: the configured public URL, else the request's own. */
export function publicOrigin(request: FastifyRequest, publicUrl: string | null): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '')
  return `${request.protocol}://${request.host}`
}

/**
 * Text fields of a REST body: urlencoded (parsed by the app's content-type parser into a ParamList)
 * or multipart (flickr-sdk's writes). File parts in a REST call are drained and ignored.
 */
export async function bodyParams(request: FastifyRequest): Promise<ParamList> {
  if (request.isMultipart()) {
    const fields: ParamList = []
    for await (const part of request.parts()) {
      if (part.type === 'file') part.file.resume()
      else fields.push([part.fieldname, String(part.value ?? '')])
    }
    return fields
  }
  return Array.isArray(request.body) ? (request.body as ParamList) : []
}
