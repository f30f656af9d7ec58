import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildApp, LISTENER_TIMEOUTS } from './app.js'
import type { Config } from './config/schema.js'
import { createServices } from './create-services.js'
import { startMaintenance } from './domain/maintenance.js'
import { registerPhotoJobs } from './jobs/process-photo.job.js'
import { loadOrCreateTls, type TlsMaterial } from './http/tls.js'
import { ensureDropInTls } from './drop-in/certificates.js'
import type { PhotoDeps } from './domain/photos/photo-deps.js'
import type { Services } from './services.js'

export interface RunningServer {
  app: FastifyInstance
  services: Services
  tls: TlsMaterial
  httpsUrl: string
  httpUrl: string | null
  close(): Promise<void>
}

export interface StartServerOptions {
  logStream?: NodeJS.WritableStream
  pgSchema?: string
  clock?: Services['clock']
  faults?: PhotoDeps['faults']
}

function urlOf(scheme: string, address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `${scheme}://${host}:${address.port}`
}

/** Drop-in mode uses the certificate its local CA signed for Flickr's hosts, unless given one. */
async function serverTls(config: Config): Promise<TlsMaterial> {
  if (config.dropIn && !(config.tlsCert && config.tlsKey)) {
    const { files } = await ensureDropInTls(config.dataDir)
    return loadOrCreateTls(config.dataDir, files.cert, files.key)
  }
  return loadOrCreateTls(config.dataDir, config.tlsCert, config.tlsKey)
}

/**
 * Starts the HTTPS listener and, unless disabled, the plain-HTTP one. Both feed the same app: the
 * HTTP side answers API calls with 95 and pages with a redirect, unless a trusted proxy says https.
 */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const tls = await serverTls(config)
  const services = await createServices(config, { pgSchema: options.pgSchema, clock: options.clock, faults: options.faults })
  const app = await buildApp(services, { https: { cert: tls.cert, key: tls.key }, logStream: options.logStream })
  await app.listen({ host: config.host, port: config.httpsPort })
  const httpsUrl = urlOf('https', app.server.address() as AddressInfo)
  registerPhotoJobs(services.queue, services.photoService)
  await services.photoService.reenqueueWaitingTickets()
  await services.queue.start()
  const maintenance = startMaintenance(services, (error) => app.log.error({ err: error }, 'maintenance pass failed'))

  let httpServer: Server | null = null
  let httpUrl: string | null = null
  if (config.httpPort !== null) {
    const plain = createServer({ headersTimeout: LISTENER_TIMEOUTS.headersMillis, requestTimeout: 0 }, (req, res) => app.routing(req, res))
    plain.setTimeout(LISTENER_TIMEOUTS.idleMillis, (socket) => socket.destroy())
    await new Promise<void>((resolve, reject) => {
      plain.once('error', reject)
      plain.listen(config.httpPort!, config.host, () => resolve())
    })
    httpServer = plain
    httpUrl = urlOf('http', plain.address() as AddressInfo)
  }

  return {
    app,
    services,
    tls,
    httpsUrl,
    httpUrl,
    async close() {
      // Stop accepting, let in-flight requests finish, then release storage.
      const plainClosed = httpServer
        ? new Promise<void>((resolve) => {
            httpServer!.close(() => resolve())
            httpServer!.closeIdleConnections()
          })
        : Promise.resolve()
      await Promise.all([app.close(), plainClosed])
      // In-flight jobs get a grace period; any still running are retried by the next start.
      await services.queue.stop({ graceMillis: 10_000 })
      await maintenance.stop()
      await services.close()
    },
  }
}
