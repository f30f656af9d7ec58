import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../db/account-repository.js'
import { TICKET_COMPLETE, TICKET_FAILED } from '../../db/ticket-repository.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { Services } from '../../services.js'
import { receivePhotoRequest } from '../photo-intake.js'
import { firstValues } from '../request-params.js'
import { uploadMeta } from '../routes/photo-upload.js'
import { requireCsrf } from './sessions.js'
import { notFound, sendHtml, sendView, viewerOf } from './web-kit.js'
import { renderView } from '../views/render.js'

// The owner's photo actions from the web app. Every one calls the photo service exactly as the API
// routes do (same checks, limits, staging and queue); uploads and replaces always go async, and the
// page's script (static/upload.js) polls /web/tickets for the outcome. Script-driven routes answer
// JSON with Flickr's code and message; plain forms answer a redirect back to the page.

type Form = Record<string, string | undefined>

/** Signed in and writable, or an answer was sent (the sign-in page, or the maintenance message). */
async function writer(services: Services, request: FastifyRequest, reply: FastifyReply): Promise<Account | undefined> {
  const user = await viewerOf(services, request)
  if (!user) {
    signInFirst(reply)
    return undefined
  }
  await services.settings.assertWritable()
  return user
}

/** Not a Flickr error (no code): the session ended, so the page's script says so in words. */
function signInFirst(reply: FastifyReply): FastifyReply {
  return reply.code(401).send({ error: { message: 'Your session has ended: sign in again, then retry.' } })
}

/** Flickr errors become JSON for the page's script; anything else is left to the scope's handler. */
function flickrFailure(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof FlickrError)) throw error
  return reply.code(error.code === 105 ? 503 : 400).send({ error: { code: error.code, message: error.message } })
}

export function registerPhotoForms(scope: FastifyInstance, services: Services): void {
  const csrf = requireCsrf(scope)
  scope.post('/upload', { preHandler: csrf }, async (request, reply) => {
    const user = await writer(services, request, reply)
    if (!user) return reply
    try {
      // The service owns the staged file from here (intake discards it on its own failures).
      const { params, staged } = await receivePhotoRequest(request, services)
      const outcome = await services.photoService.upload(user, staged, uploadMeta(firstValues(params)), { async: true })
      return reply.send(outcome)
    } catch (error) {
      return flickrFailure(reply, error)
    }
  })
  scope.post('/photos/:user/:photoId/replace', { preHandler: csrf }, async (request, reply) => {
    const user = await writer(services, request, reply)
    if (!user) return reply
    try {
      const { staged } = await receivePhotoRequest(request, services)
      const outcome = await services.photoService.replace(user, (request.params as { photoId: string }).photoId, staged, { async: true })
      return reply.send(outcome)
    } catch (error) {
      return flickrFailure(reply, error)
    }
  })
  scope.get('/upload', async (request, reply) => {
    const user = await viewerOf(services, request)
    if (!user) return reply.redirect(`/signin?next=${encodeURIComponent('/upload')}`, 303)
    const { sets } = await services.albums.list(user.nsid, user.nsid)
    return sendView(services, request, reply, 200, 'upload', { title: 'Upload', script: 'upload.js', albums: sets.map((set) => ({ id: set.id, title: set.title || 'Untitled album' })) })
  })
  scope.get('/web/tickets', async (request, reply) => ticketStates(services, request, reply))
  scope.post('/photos/:user/:photoId/edit', { preHandler: csrf }, async (request, reply) => editPhoto(services, request, reply))
  scope.post('/photos/:user/:photoId/delete', { preHandler: csrf }, async (request, reply) => deletePhoto(services, request, reply))
}

/** The viewer's own tickets only, as checkTickets would answer them (complete 0 waiting, 1 done, 2 failed). */
async function ticketStates(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const viewer = await viewerOf(services, request)
  if (!viewer) return signInFirst(reply)
  const ids = String((request.query as Form).ids ?? '').split(',').filter((id) => id !== '').slice(0, 100)
  const found = await services.tickets.byIds(ids)
  const tickets = await Promise.all(ids.map(async (id) => {
    const ticket = found.get(id)
    if (!ticket || ticket.userNsid !== viewer.nsid) return { id, invalid: true }
    if (ticket.status === TICKET_COMPLETE) return { id, complete: 1, photoId: ticket.photoId, ...(await currentFiles(services, ticket.photoId)) }
    if (ticket.status === TICKET_FAILED) return { id, complete: 2, code: ticket.errorCode ?? 3, message: ticket.errorMessage ?? 'General upload failure' }
    return { id, complete: 0 }
  }))
  return reply.header('cache-control', 'no-store').send({ tickets })
}

/** Where the photo's files now live (a replace moves them to a new secret), for the before/after view. */
async function currentFiles(services: Services, photoId: string | null) {
  const photo = photoId ? await services.photos.byId(photoId) : undefined
  return photo ? { server: photo.server, secret: photo.secret } : {}
}

/** A plain form's Flickr error as a page with the message in words. */
function formFailure(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof FlickrError)) throw error
  return sendHtml(reply, 400, renderView('error', { text: `${error.message} (Flickr error ${error.code}).` }))
}

async function editPhoto(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const user = await viewerOf(services, request)
  const { photoId } = request.params as { photoId: string }
  if (!user) return notFound(reply)
  const form = request.body as Form
  try {
    await services.settings.assertWritable()
    await services.photoService.setMeta(user, photoId, { title: form.title ?? '', description: form.description ?? '' })
    await services.photoService.setTags(user, photoId, form.tags ?? '')
  } catch (error) {
    return formFailure(reply, error)
  }
  return reply.redirect(`/photos/${user.nsid}/${photoId}/`, 303)
}

async function deletePhoto(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const user = await viewerOf(services, request)
  const { photoId } = request.params as { photoId: string }
  if (!user) return notFound(reply)
  if ((request.body as Form).confirm !== 'yes') return sendHtml(reply, 400, renderView('error', { text: 'Tick the box to confirm the delete.' }))
  try {
    await services.settings.assertWritable()
    await services.photoService.delete(user, photoId)
  } catch (error) {
    return formFailure(reply, error)
  }
  return reply.redirect(`/photos/${user.nsid}/`, 303)
}
