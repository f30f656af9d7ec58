import { X509Certificate } from 'node:crypto'
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
export function requireTls(app: FastifyInstance, httpsPort: () => number, publicUrl: string | null, certificateHosts: readonly string[] = ['localhost']): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') return
    const url = request.raw.url ?? '/'
    if (API_PATHS.test(url)) {
      if (/^\/services\/(rest|upload|replace)/.test(url)) return // their handlers render 95 in the right format
      const rendered = renderFailure(new FlickrError(standardErrors.sslRequired), { kind: 'rest' })
      return reply.code(200).type(rendered.contentType).send(rendered.body)
    }
    return reply.redirect(`${redirectOrigin(request.hostname, httpsPort(), publicUrl, certificateHosts)}${url}`, 301)
  })
}

/**
 * Where plain HTTP is sent: the configured public URL, else the asked-for host only if the TLS
 * certificate covers it (the Host header is the client's to write: no open redirect), else the
 * certificate's first name.
 */
export function redirectOrigin(hostname: string, httpsPort: number, publicUrl: string | null, certificateHosts: readonly string[]): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '')
  const asked = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  const covers = (name: string) => name === asked || (name.startsWith('*.') && asked.endsWith(name.slice(1)) && asked.split('.').length === name.split('.').length)
  const host = certificateHosts.some(covers) ? asked : (certificateHosts[0] ?? 'localhost')
  const shown = host.includes(':') ? `[${host}]` : host
  // 443 is left out, so drop-in redirects read https://www.flickr.com/… as Flickr's own do.
  return httpsPort === 443 ? `https://${shown}` : `https://${shown}:${httpsPort}`
}

/** The DNS names and IP addresses a PEM certificate covers (its subjectAltName). */
export function certificateHostsOf(certPem: string): string[] {
  const names = (new X509Certificate(certPem).subjectAltName ?? '').split(', ')
  return names.map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1]?.toLowerCase()).filter((name): name is string => Boolean(name))
}
