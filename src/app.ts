import Fastify, { type FastifyInstance } from 'fastify'
import { createMethodRegistry } from './api/index.js'
import { loggerOptions } from './log.js'
import { registerFlickrEdge } from './http/flickr-edge.js'
import { certificateHostsOf, requireTls } from './http/plugins/require-tls.js'
import { registerStaticPhotoRoutes } from './http/routes/static-photos.js'
import { registerWebPages } from './http/routes/web-pages.js'
import { registerSessions } from './http/web/sessions.js'
import { notFound } from './http/web/web-kit.js'
import type { Services } from './services.js'

/** Timeouts of both listeners: the whole header block within 15 s; no socket silent for 60 s. */
export const LISTENER_TIMEOUTS = { headersMillis: 15_000, idleMillis: 60_000 } as const

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
    // Idleness is timed out, not length: a slow 200 MB upload that keeps sending is never cut, while a
    // connection that stops sending (slowloris) is closed. See LISTENER_TIMEOUTS.
    requestTimeout: 0,
    connectionTimeout: LISTENER_TIMEOUTS.idleMillis,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
  }) as unknown as FastifyInstance

  app.server.headersTimeout = LISTENER_TIMEOUTS.headersMillis
  requireTls(app, () => httpsPortOf(app), services.config.publicUrl, options.https ? certificateHostsOf(options.https.cert) : undefined)
  // Each surface answers failures in its own way: Flickr envelopes under /services, HTML for pages,
  // bare statuses for static photo URLs.
  // Before the edge: the OAuth authorize page reads the web session too.
  await registerSessions(app, services)
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
