import type { FastifyServerOptions } from 'fastify'

const SECRET_PARAMS = /([?&](?:oauth_signature|oauth_token|oauth_verifier|oauth_token_secret|api_sig|auth_token|frob|password|secret)=)[^&#]*/gi

/** Removes credentials from a URL before it reaches a log line. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[Redacted]')
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
