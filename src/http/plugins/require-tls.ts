import type { FastifyInstance } from 'fastify'
import { standardErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { renderFailure } from '../flickr-envelope.js'

// API endpoints answer 95 themselves (in the caller's format); everything else over plain HTTP is a
// page or an image, which a browser should simply be sent to HTTPS for.
const API_PATHS = /^\/services\/(rest|upload|replace|oauth\/(request_token|access_token))\/?(\?|$)/

/**
 * Plain HTTP is for redirects and error 95 only (Flickr has been SSL-only since 2014). A request that
 * a trusted proxy says came over https (X-Forwarded-Proto) passes, because request.protocol says so.
 */
export function requireTls(app: FastifyInstance, httpsPort: () => number, publicUrl: string | null): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') return
    const url = request.raw.url ?? '/'
    if (API_PATHS.test(url)) {
      if (/^\/services\/(rest|upload|replace)/.test(url)) return // their handlers render 95 in the right format
      const rendered = renderFailure(new FlickrError(standardErrors.sslRequired), { kind: 'rest' })
      return reply.code(200).type(rendered.contentType).send(rendered.body)
    }
    const origin = publicUrl ? publicUrl.replace(/\/+$/, '') : `https://${request.hostname}:${httpsPort()}`
    return reply.redirect(`${origin}${url}`, 301)
  })
}
