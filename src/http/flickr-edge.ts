import formbody from '@fastify/formbody'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { MethodRegistry } from '../api/registry.js'
import { standardErrors, uploadErrors, type ErrorSpec } from '../errors/catalogue.js'
import { FlickrError } from '../errors/flickr-error.js'
import type { Services } from '../services.js'
import type { ParamList } from './flickr-auth.js'
import { BodyError } from './multipart.js'
import { renderFailure, responseFormat, UPLOAD_FORMAT, type ResponseFormat } from './flickr-envelope.js'
import { firstValues, queryParams } from './request-params.js'
import { registerLegacyAuthRoutes } from './routes/legacy-auth.js'
import { registerOAuthRoutes } from './routes/oauth.js'
import { registerPhotoUploadRoutes } from './routes/photo-upload.js'
import { registerRestRoute } from './routes/rest.js'

// The Flickr edge: every /services/* route in one plugin scope, with its own body parsers and one
// error handler. Whatever fails there (a route, a plugin, Fastify's body parsing, busboy) leaves as
// Flickr's envelope, HTTP 200, in the caller's format; the OAuth and legacy-auth pages nest their own
// handlers (oauth_problem text, HTML). Routes just throw.

/** Which Flickr answer a route gives: REST envelopes, or upload/replace XML with their own codes. */
export type FlickrEndpoint = 'rest' | 'upload'

declare module 'fastify' {
  interface FastifyContextConfig {
    flickrEndpoint?: FlickrEndpoint
  }
  interface FastifyRequest {
    /** The arguments once read, so a failure after that is answered in the format they asked for */
    flickrParams?: ParamList
  }
}

/** A REST urlencoded body: Flickr calls are small; uploads are multipart and capped separately. */
const REST_BODY_LIMIT = 1024 * 1024

export async function registerFlickrEdge(app: FastifyInstance, services: Services, registry: MethodRegistry): Promise<void> {
  await app.register(
    async (edge) => {
      edge.decorateRequest('flickrParams', undefined)
      // urlencoded bodies become an ordered list of pairs: duplicates and order matter to signatures.
      await edge.register(formbody, { bodyLimit: REST_BODY_LIMIT, parser: (body: string) => [...new URLSearchParams(body)] as unknown as Record<string, unknown> })
      // Multipart bodies are streamed by the routes themselves (http/multipart.ts): leave them unread.
      edge.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined))
      // Other body types carry no Flickr arguments: read and ignore them (the query still counts).
      edge.addContentTypeParser('*', { bodyLimit: REST_BODY_LIMIT }, (_request, payload, done) => {
        payload.on('error', done)
        payload.on('end', () => done(null, undefined))
        payload.resume()
      })
      edge.setErrorHandler((error, request, reply) => answerFailure(error, request, reply))
      edge.setNotFoundHandler((request, reply) => {
        const path = (request.raw.url ?? '').split('?')[0]
        return answerFailure(new FlickrError(standardErrors.methodNotFound, { vars: { method: `${request.method} ${path}` } }), request, reply)
      })
      registerRestRoute(edge, services, registry)
      registerPhotoUploadRoutes(edge, services)
      await edge.register(async (oauth) => registerOAuthRoutes(oauth, services))
      await edge.register(async (pages) => registerLegacyAuthRoutes(pages, services))
    },
    { prefix: '/services' },
  )
}

/** Renders any failure as the endpoint's envelope; only a real fault is logged as an error. */
export function answerFailure(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const endpoint = request.routeOptions.config?.flickrEndpoint ?? 'rest'
  const flickr = toFlickrError(error, request, endpoint)
  if (flickr.retryAfterSeconds) reply.header('retry-after', String(flickr.retryAfterSeconds))
  const rendered = renderFailure(flickr, endpoint === 'upload' ? UPLOAD_FORMAT : formatOf(request))
  // Flickr answers stat="fail" with HTTP 200: clients treat any other status as a transport failure.
  return reply.code(200).type(rendered.contentType).send(rendered.body)
}

/** The caller's format from what was read of the request; the query alone when the body was unreadable. */
function formatOf(request: FastifyRequest): ResponseFormat {
  try {
    return responseFormat(firstValues(request.flickrParams ?? queryParams(request)))
  } catch {
    return { kind: 'rest' }
  }
}

/**
 * A FlickrError as is; a request Fastify or busboy could not read (a 4xx of theirs) as the endpoint's
 * "could not read" code; anything else is a fault of ours: logged, and the endpoint's generic failure.
 */
function toFlickrError(error: unknown, request: FastifyRequest, endpoint: FlickrEndpoint): FlickrError {
  if (error instanceof FlickrError) {
    if (error.cause) request.log.warn({ err: error.cause, code: error.code }, 'Flickr call failed')
    return error
  }
  if (error instanceof BodyError && error.reason === 'field-too-large' && endpoint === 'rest') return new FlickrError(standardErrors.requestTooLarge)
  const status = (error as FastifyError | undefined)?.statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    request.log.warn({ err: error }, 'unreadable Flickr request')
    return new FlickrError(unreadable(endpoint, status))
  }
  request.log.error({ err: error }, 'unexpected failure in a Flickr call')
  return new FlickrError(endpoint === 'upload' ? uploadErrors.generalFailure : standardErrors.serviceUnavailable)
}

function unreadable(endpoint: FlickrEndpoint, status: number): ErrorSpec {
  if (endpoint === 'upload') return status === 413 ? uploadErrors.limitReached : uploadErrors.generalFailure
  return status === 413 ? standardErrors.requestTooLarge : standardErrors.requestUnreadable
}
