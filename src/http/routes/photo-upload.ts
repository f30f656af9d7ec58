import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Payload } from '../../api/payload.js'
import type { PhotoMeta } from '../../domain/photos/commit-photo.js'
import { standardErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { Services } from '../../services.js'
import { authenticateCall, authorize } from '../flickr-auth.js'
import { renderSuccess, UPLOAD_FORMAT } from '../flickr-envelope.js'
import { receivePhotoRequest, type PhotoRequest } from '../photo-intake.js'
import { firstValues, requestBaseUrl } from '../request-params.js'

/** `/services/upload/` and `/services/replace/`: multipart in, Flickr's XML out (never JSON). */
export function registerPhotoUploadRoutes(edge: FastifyInstance, services: Services): void {
  for (const kind of ['upload', 'replace'] as const) {
    edge.post(`/${kind}`, { config: { flickrEndpoint: 'upload' } }, async (request, reply) => {
      if (request.protocol !== 'https') throw new FlickrError(standardErrors.sslRequired)
      const intake = await receivePhotoRequest(request, services)
      const payload = await handle(kind, request, intake, services)
      return reply.code(200).type('text/xml; charset=utf-8').send(renderSuccess(payload, UPLOAD_FORMAT).body)
    })
  }
}

/** Parse, authenticate, then one call into the photo service, which owns the staged file from there. */
async function handle(kind: 'upload' | 'replace', request: FastifyRequest, intake: PhotoRequest, services: Services): Promise<Payload> {
  let user
  try {
    user = await authorizeWrite(request, intake, services)
  } catch (error) {
    await intake.staged?.discard()
    throw error
  }
  const params = firstValues(intake.params)
  const options = { async: params.get('async') === '1' }
  if (kind === 'replace') {
    const outcome = await services.photoService.replace(user, params.get('photo_id'), intake.staged, options)
    if (outcome.kind === 'ticket') return [{ name: 'ticketid', text: outcome.ticketId }]
    return [{ name: 'photoid', attrs: { secret: outcome.secret, originalsecret: outcome.originalSecret }, text: outcome.photoId }]
  }
  const outcome = await services.photoService.upload(user, intake.staged, uploadMeta(params), options)
  if (outcome.kind === 'ticket') return [{ name: 'ticketid', text: outcome.ticketId }]
  // A bare <photoid>: Perl Flickr::Upload reads it with XML::Simple, which breaks on attributes.
  return [{ name: 'photoid', text: outcome.photoId }]
}

async function authorizeWrite(request: FastifyRequest, intake: PhotoRequest, services: Services) {
  const call = await authenticateCall(services, {
    method: request.method,
    baseUrl: requestBaseUrl(request),
    params: intake.params,
    authorization: request.headers.authorization,
  })
  const { actor } = authorize(call, { perms: 'write', signed: true })
  await services.settings.assertWritable()
  await services.settings.assertNoBlockedUrl(intake.params.map(([, value]) => value))
  return actor!.user
}

function flag(value: string | undefined, fallback: boolean): boolean {
  return value === '1' ? true : value === '0' ? false : fallback
}

function choice(value: string | undefined, allowed: number[], fallback: number): number {
  const n = Number(value)
  return allowed.includes(n) ? n : fallback
}

/** Upload fields (reference §1.1); omitted or invalid values take the account defaults. */
export function uploadMeta(params: ReadonlyMap<string, string>): PhotoMeta {
  return {
    title: params.get('title') ?? '',
    description: params.get('description') ?? '',
    tags: params.get('tags') ?? '',
    isPublic: flag(params.get('is_public'), true),
    isFriend: flag(params.get('is_friend'), false),
    isFamily: flag(params.get('is_family'), false),
    safetyLevel: choice(params.get('safety_level'), [1, 2, 3], 1),
    contentType: choice(params.get('content_type'), [1, 2, 3], 1),
    hidden: choice(params.get('hidden'), [1, 2], 1),
  }
}
