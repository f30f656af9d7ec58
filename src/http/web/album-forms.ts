import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../db/account-repository.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { Services } from '../../services.js'
import { renderView } from '../views/render.js'
import { requireCsrf } from './sessions.js'
import { notFound, sendHtml, viewerOf } from './web-kit.js'

// The owner's album forms: create (its first photo becomes the primary), add, remove, choose the
// primary. Each is one call into the album service, as photosets.* makes; the answer is a redirect
// back to the album page, or (for the upload page's script) JSON when it asked for it.

type Form = Record<string, string | undefined>
type Action = (user: Account, setId: string, form: Form) => Promise<unknown>

function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').startsWith('application/json')
}

async function run(services: Services, request: FastifyRequest, reply: FastifyReply, work: (user: Account) => Promise<string>) {
  const user = await viewerOf(services, request)
  if (!user) return notFound(reply)
  try {
    await services.settings.assertWritable()
    const next = await work(user)
    return wantsJson(request) ? reply.send({ ok: true }) : reply.redirect(next, 303)
  } catch (error) {
    if (!(error instanceof FlickrError)) throw error
    if (wantsJson(request)) return reply.code(400).send({ error: { code: error.code, message: error.message } })
    return sendHtml(reply, 400, renderView('error', { text: `${error.message} (Flickr error ${error.code}).` }))
  }
}

export function registerAlbumForms(scope: FastifyInstance, services: Services): void {
  const csrf = requireCsrf(scope)
  scope.post('/photos/:user/albums/create', { preHandler: csrf }, (request, reply) =>
    run(services, request, reply, async (user) => {
      const form = request.body as Form
      const { id } = await services.albums.create(user, { title: form.title ?? '', description: form.description ?? '', primaryPhotoId: form.primary_photo_id ?? '' })
      return `/photos/${user.nsid}/albums/${id}/`
    }),
  )
  const actions: Record<string, Action> = {
    add: (user, setId, form) => services.albums.addPhoto(user, setId, form.photo_id ?? ''),
    remove: (user, setId, form) => services.albums.removePhotos(user, setId, (form.photo_ids ?? '').split(','), { strict: true }),
    primary: (user, setId, form) => services.albums.setPrimaryPhoto(user, setId, form.photo_id ?? ''),
  }
  for (const [name, action] of Object.entries(actions)) {
    scope.post(`/photos/:user/albums/:setId/${name}`, { preHandler: csrf }, (request, reply) =>
      run(services, request, reply, async (user) => {
        const { setId } = request.params as { setId: string }
        await action(user, setId, request.body as Form)
        // Removing the last photo deletes the album (as on Flickr): then the list is where to go.
        const still = await services.albums.visibleHead(setId, user.nsid).catch(() => undefined)
        return still ? `/photos/${user.nsid}/albums/${setId}/` : `/photos/${user.nsid}/albums/`
      }),
    )
  }
}
