import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../db/account-repository.js'
import type { Services } from '../../services.js'
import { renderView } from '../views/render.js'

// What every web page shares: its headers, the signed-in viewer (from the cookie session) and the
// CSRF token the layout's sign-out form and every state-changing form carry.

// Only this server's own scripts, styles and images; forms post back here only.
export const CSP = "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

declare module 'fastify' {
  interface Session {
    /** The signed-in account; absent for anonymous visitors */
    nsid?: string
  }
}

/** The signed-in account, or undefined (no session, or its account was deleted). */
export async function viewerOf(services: Services, request: FastifyRequest): Promise<Account | undefined> {
  const nsid = (request as Partial<Pick<FastifyRequest, 'session'>>).session?.get('nsid')
  return nsid ? services.credentials.account(nsid) : undefined
}

export function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return (
    reply
      .code(status)
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      // Revalidate every time: a photo made private must disappear from pages at once.
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(html)
  )
}

/**
 * Renders a page for this request: the layout learns who is signed in and gets a CSRF token. Anonymous
 * pages get a token only when they hold a form (`data.hasForm`), so public browsing stores no session.
 */
export async function sendView(services: Services, request: FastifyRequest, reply: FastifyReply, status: number, view: string, data: Record<string, unknown>): Promise<FastifyReply> {
  const viewer = await viewerOf(services, request)
  const csrf = viewer || data.hasForm ? csrfToken(reply) : ''
  return sendHtml(reply, status, renderView(view, { ...data, session: viewer, csrf }))
}

/** The session's CSRF token for a form (made once per session by @fastify/csrf-protection). */
export function csrfToken(reply: FastifyReply): string {
  const generate = (reply as Partial<Pick<FastifyReply, 'generateCsrf'>>).generateCsrf
  return generate ? generate.call(reply) : ''
}

/** The pages' 404, also the app's answer for any path no surface claims. */
export function notFound(reply: FastifyReply): FastifyReply {
  return sendHtml(reply, 404, renderView('not-found', {}))
}
