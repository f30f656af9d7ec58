import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PERM_RANK, type MethodRegistry } from '../../api/registry.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { globalErrors } from '../../errors/global-errors.js'
import type { Services } from '../../services.js'
import { authenticateCall, type ParamList } from '../flickr-auth.js'
import { renderFailure, renderSuccess, responseFormat, type RenderedResponse, type ResponseFormat } from '../flickr-envelope.js'
import { bodyParams, publicOrigin, queryParams, requestBaseUrl } from '../request-params.js'

/** `/services/rest/`: one URL, many methods, dispatched through the registry. */
export function registerRestRoute(app: FastifyInstance, services: Services, registry: MethodRegistry): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let format: ResponseFormat = { kind: 'rest' }
    let rendered: RenderedResponse
    try {
      const received: ParamList = [...queryParams(request), ...(await bodyParams(request))]
      format = responseFormat(new Map(received))
      rendered = renderSuccess(await callMethod(request, services, registry, received), format)
    } catch (error) {
      rendered = renderFailure(toFlickrError(error, request), format)
    }
    // Flickr answers stat="fail" with HTTP 200 too: clients treat any other status as transport failure.
    return reply.code(200).type(rendered.contentType).send(rendered.body)
  }
  app.route({ method: ['GET', 'POST'], url: '/services/rest', handler })
}

async function callMethod(request: FastifyRequest, services: Services, registry: MethodRegistry, received: ParamList) {
  if (request.protocol !== 'https') throw globalErrors.sslRequired()
  const credentials = await authenticateCall(services, {
    method: request.method,
    baseUrl: requestBaseUrl(request),
    params: received,
    authorization: request.headers.authorization,
  })
  const params = new Map(credentials.params)
  const name = params.get('method') ?? ''
  const method = registry.get(name)
  if (!method) throw globalErrors.methodNotFound(name)
  if (!credentials.app) throw globalErrors.invalidApiKey()
  if (method.needsSigning && !credentials.signed) throw globalErrors.missingSignature()
  if (method.perms !== 'none') {
    const granted = credentials.actor?.perms ?? 'none'
    if (PERM_RANK[granted] < PERM_RANK[method.perms]) {
      throw new FlickrError(99, `Insufficient permissions. Method requires ${method.perms} privileges; ${granted} granted.`)
    }
  }
  if (method.writes) await services.settings.assertWritable()
  await services.settings.assertNoBlockedUrl(received.map(([, value]) => value))
  return method.handle({
    services,
    app: credentials.app,
    actor: credentials.actor,
    signed: credentials.signed,
    params,
    rawParams: received,
    baseUrl: publicOrigin(request, services.config.publicUrl),
  })
}

/**
 * Anything not already a FlickrError is logged and answered as the endpoint's generic failure
 * (105 on REST; upload and replace pass their own 3 "General upload failure").
 */
export function toFlickrError(error: unknown, request: FastifyRequest, fallback: () => FlickrError = globalErrors.serviceUnavailable): FlickrError {
  if (error instanceof FlickrError) {
    if (error.cause) request.log.warn({ err: error.cause, code: error.code }, 'Flickr call failed')
    return error
  }
  request.log.error({ err: error }, 'unexpected failure in a Flickr call')
  return fallback()
}
