import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services.js'
import { registerStaticAssets } from '../routes/static-assets.js'
import { registerAccountPage } from './account-page.js'
import { registerAlbumForms } from './album-forms.js'
import { registerPhotoForms } from './photo-forms.js'
import { registerSignInPages } from './sign-in-pages.js'

// The signed-in part of the web app, registered inside the pages' scope (web-pages.ts): its forms'
// body parsers, its static assets and its routes. Each state-changing route carries requireCsrf.

/** Small forms only: photos go through multipart, which is streamed, never parsed here. */
const FORM_BODY_LIMIT = 64 * 1024

export async function registerWebApp(scope: FastifyInstance, services: Services): Promise<void> {
  await scope.register(formbody, { bodyLimit: FORM_BODY_LIMIT })
  // Multipart bodies (uploads, replaces) are left unread for the route to stream to staging.
  scope.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined))
  registerStaticAssets(scope)
  registerSignInPages(scope, services)
  registerPhotoForms(scope, services)
  registerAlbumForms(scope, services)
  registerAccountPage(scope, services)
}
