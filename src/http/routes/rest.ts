import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { MethodRegistry } from '../../api/registry.js'
import type { Payload } from '../../api/payload.js'
import { standardErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { Services } from '../../services.js'
import { authenticateCall, authorize, type ParamList } from '../flickr-auth.js'
import { renderSuccess, responseFormat } from '../flickr-envelope.js'
import { UnknownMethodRecorder } from '../../drop-in/unknown-methods.js'
import { publicUrlsFor } from '../public-urls.js'
import { bodyParams, firstValues, queryParams, requestBaseUrl } from '../request-params.js'

/** `/services/rest/`: one URL, many methods. Parse, authenticate, one call, render; failures are the edge's. */
export function registerRestRoute(edge: FastifyInstance, services: Services, registry: MethodRegistry): void {
  const unknown = services.config.dropIn ? new UnknownMethodRecorder(services) : null
  edge.route({
    method: ['GET', 'POST'],
    url: '/rest',
    config: { flickrEndpoint: 'rest' },
    handler: async (request, reply) => {
      const received: ParamList = [...queryParams(request), ...(await bodyParams(request))]
      request.flickrParams = received
      const format = responseFormat(firstValues(received))
      const rendered = renderSuccess(await callMethod(request, services, registry, received, unknown), format)
      return reply.code(200).type(rendered.contentType).send(rendered.body)
    },
  })
}

async function callMethod(request: FastifyRequest, services: Services, registry: MethodRegistry, received: ParamList, unknown: UnknownMethodRecorder | null): Promise<Payload> {
  if (request.protocol !== 'https') throw new FlickrError(standardErrors.sslRequired)
  const call = await authenticateCall(services, {
    method: request.method,
    baseUrl: requestBaseUrl(request),
    params: received,
    authorization: request.headers.authorization,
  })
  const params = firstValues(call.params)
  const name = params.get('method') ?? ''
  const method = registry.get(name)
  if (!method) {
    // Only calls naming a registered app are counted: anonymous junk says nothing about a program.
    if (call.app) await unknown?.record(name, call.app.name, request.log)
    throw new FlickrError(standardErrors.methodNotFound, { vars: { method: name } })
  }
  const { app, actor } = authorize(call, { perms: method.perms, signed: method.needsSigning })
  if (method.writes) await services.settings.assertWritable()
  await services.settings.assertNoBlockedUrl(received.map(([, value]) => value))
  const urls = publicUrlsFor(request, services.config)
  const ctx = { services, app, actor, signed: call.signed, rawParams: received, baseUrl: urls.web, urls }
  return method.call(ctx, params)
}
