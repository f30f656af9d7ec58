import type { FastifyServerOptions } from 'fastify'

const SECRET_NAMES = new Set(['oauth_signature', 'oauth_token', 'oauth_verifier', 'oauth_token_secret', 'api_sig', 'auth_token', 'frob', 'password', 'secret'])

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase()
  } catch {
    return raw.toLowerCase()
  }
}

/**
 * Removes credentials from a URL before it reaches a log line. The query is split exactly as the
 * server's parser splits it (everything after the first `?`, `#` included), and names are compared
 * decoded, because the server decodes them too: `oauth%5Ftoken=…` is an oauth_token to the signature check.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?')
  if (at === -1) return url
  const redacted = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const name = eq === -1 ? pair : pair.slice(0, eq)
      return SECRET_NAMES.has(decodeName(name)) ? `${name}=[Redacted]` : pair
    })
    .join('&')
  return `${url.slice(0, at + 1)}${redacted}`
}

/**
 * pino options for Fastify: request ids, and no token, secret, signature or password in any line.
 * Request URLs carry OAuth parameters in the query for GET clients, so the URL is redacted too.
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.secret', '*.oauth_token_secret'],
      censor: '[Redacted]',
    },
    serializers: {
      req(request: { method: string; url: string; hostname?: string; ip?: string; id?: string }) {
        return { method: request.method, url: redactUrl(request.url), host: request.hostname, remoteAddress: request.ip }
      },
    },
  }
}
