import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Actor } from '../../api/registry.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { globalErrors } from '../../errors/global-errors.js'
import { commitReplace, commitUpload, type PhotoMeta } from '../../domain/photos/commit-photo.js'
import { checkPlanLimits, findOwnPhoto, inspectStagedFile } from '../../domain/photos/ingest-checks.js'
import { acceptAsync } from '../../domain/photos/accept-async.js'
import { newPhotoId } from '../../auth/ids.js'
import { photoErrors } from '../../domain/photos/photo-errors.js'
import type { Services } from '../../services.js'
import { authenticateCall } from '../flickr-auth.js'
import { renderFailure, renderSuccess, UPLOAD_FORMAT } from '../flickr-envelope.js'
import type { Payload } from '../payload.js'
import { receivePhotoRequest, type PhotoRequest } from '../photo-intake.js'
import { requestBaseUrl } from '../request-params.js'
import { toFlickrError } from './rest.js'

type Kind = 'upload' | 'replace'

/** `/services/upload/` and `/services/replace/`: multipart in, Flickr's XML out (never JSON). */
export function registerPhotoUploadRoutes(app: FastifyInstance, services: Services): void {
  for (const kind of ['upload', 'replace'] as const) {
    app.post(`/services/${kind}`, async (request, reply) => handle(kind, request, reply, services))
  }
}

async function handle(kind: Kind, request: FastifyRequest, reply: FastifyReply, services: Services) {
  let body: string
  try {
    if (request.protocol !== 'https') throw globalErrors.sslRequired()
    const intake = await receivePhotoRequest(request, services)
    let result: Outcome | undefined
    try {
      result = await process(kind, request, intake, services)
      body = renderSuccess(result.payload, UPLOAD_FORMAT).body
    } finally {
      // An accepted async job owns the staged file from here on; everything else is done with it.
      if (!result?.stagedHandedOver) await intake.staged?.discard()
    }
  } catch (error) {
    const flickr = toFlickrError(error, request, photoErrors.generalFailure)
    if (flickr.retryAfterSeconds) reply.header('retry-after', String(flickr.retryAfterSeconds))
    body = renderFailure(flickr, UPLOAD_FORMAT).body
  }
  return reply.code(200).type('text/xml; charset=utf-8').send(body)
}

interface Outcome {
  payload: Payload
  stagedHandedOver: boolean
}

async function authorize(request: FastifyRequest, intake: PhotoRequest, services: Services): Promise<Actor> {
  const credentials = await authenticateCall(services, {
    method: request.method,
    baseUrl: requestBaseUrl(request),
    params: intake.params,
    authorization: request.headers.authorization,
  })
  if (!credentials.app) throw globalErrors.invalidApiKey()
  const actor = credentials.actor
  if (!actor) throw new FlickrError(99, 'Insufficient permissions. Method requires write privileges; none granted.')
  if (actor.perms === 'read') throw new FlickrError(99, 'Insufficient permissions. Method requires write privileges; read granted.')
  await services.settings.assertWritable()
  await services.settings.assertNoBlockedUrl(intake.params.map(([, value]) => value))
  return actor
}

/**
 * Flickr's order of checks: authentication, then the account (pro for replace), the file's presence
 * and size, the photo's ownership, the plan's limits, and the file's type by content. Async requests
 * stop there and get a ticket; sync ones go on to render and commit, through the same code a worker runs.
 */
async function process(kind: Kind, request: FastifyRequest, intake: PhotoRequest, services: Services): Promise<Outcome> {
  const { user } = await authorize(request, intake, services)
  const params = new Map(intake.params)
  if (kind === 'replace' && !user.isPro) throw photoErrors.notPro()
  const staged = intake.staged
  if (!staged) throw photoErrors.noPhoto()
  if (staged.bytes === 0) throw photoErrors.zeroBytes()
  const isAsync = params.get('async') === '1'
  const stagedFile = { path: staged.path, bytes: staged.bytes, sha256: staged.sha256 }
  if (kind === 'replace') {
    const photo = await findOwnPhoto(services, user, params.get('photo_id'))
    await checkPlanLimits(services, user, staged.bytes, false, photo.isPublic === 1)
    const probe = await inspectStagedFile(services, staged.path, staged.bytes, kind)
    if (isAsync) return ticket(await acceptAsync(services, user, { kind, photoId: photo.id, staged: stagedFile }))
    const result = await services.processingSlots.run(() => commitReplace(services, user, photo.id, { ...stagedFile, probe }))
    return { payload: [{ name: 'photoid', attrs: { secret: result.secret, originalsecret: result.originalSecret }, text: photo.id }], stagedHandedOver: false }
  }
  const meta = uploadMeta(params)
  await checkPlanLimits(services, user, staged.bytes, true, meta.isPublic)
  const probe = await inspectStagedFile(services, staged.path, staged.bytes, kind)
  if (isAsync) return ticket(await acceptAsync(services, user, { kind, photoId: newPhotoId(), staged: stagedFile, meta }))
  const photoId = await services.processingSlots.run(() => commitUpload(services, user, { ...stagedFile, probe }, meta))
  // A bare <photoid>: Perl Flickr::Upload reads it with XML::Simple, which breaks on attributes.
  return { payload: [{ name: 'photoid', text: photoId }], stagedHandedOver: false }
}

function ticket(ticketId: string): Outcome {
  return { payload: [{ name: 'ticketid', text: ticketId }], stagedHandedOver: true }
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
