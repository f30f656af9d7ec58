import Fastify, { type FastifyInstance } from 'fastify'
import { createMethodRegistry } from './api/index.js'
import { loggerOptions } from './log.js'
import { registerFlickrEdge } from './http/flickr-edge.js'
import { requireTls } from './http/plugins/require-tls.js'
import { registerStaticPhotoRoutes } from './http/routes/static-photos.js'
import { notFound, registerWebPages } from './http/routes/web-pages.js'
import type { Services } from './services.js'

export interface BuildAppOptions {
  https?: { cert: string; key: string }
  /** pino destination override (tests parse log lines back) */
  logStream?: NodeJS.WritableStream
}

/** Builds the whole Fastify app without listening: the server command and the tests both use it. */
export async function buildApp(services: Services, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const logger = loggerOptions(services.config.logLevel)
  const app = Fastify({
    // Logs go to stderr: stdout carries the listener URLs that scripts read.
    logger: { ...(logger as object), stream: options.logStream ?? process.stderr },
    https: options.https ?? null,
    // Clients use both /services/rest and /services/rest/; a redirect would lose a POST body.
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: services.config.trustProxy,
    // Long uploads must not be cut by the default socket timeouts.
    requestTimeout: 0,
    connectionTimeout: 0,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
  }) as unknown as FastifyInstance

  requireTls(app, () => httpsPortOf(app), services.config.publicUrl)
  // Each surface answers failures in its own way: Flickr envelopes under /services, HTML for pages,
  // bare statuses for static photo URLs.
  await registerFlickrEdge(app, services, createMethodRegistry())
  await registerStaticPhotoRoutes(app, services)
  await registerWebPages(app, services)
  app.setNotFoundHandler((_request, reply) => notFound(reply))
  return app
}

function httpsPortOf(app: FastifyInstance): number {
  const address = app.server.address()
  return address && typeof address === 'object' ? address.port : 443
}
