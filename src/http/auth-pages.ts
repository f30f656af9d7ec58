import type { FastifyReply } from 'fastify'
import { renderView } from './views/render.js'

// The consent pages of the OAuth (`/services/oauth/authorize`) and legacy (`/services/auth/`) flows.
// Without a browser session the form posts username, password and the decision together, with the
// request's own identifiers (oauth_token, or api_key/frob/api_sig) in hidden fields; with one (OAuth
// only) it posts the decision and the session's CSRF token.

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

const PERM_TEXT: Record<string, string> = {
  read: 'see your photos, including private ones',
  write: 'see, upload and replace your photos',
  delete: 'see, upload, replace and delete your photos',
}

export interface ConsentPage {
  appName: string
  perms: string
  /** Where the form posts to (the page's own path) */
  action: string
  /** Carried back unchanged by the form: they identify the request being approved */
  hidden: ReadonlyArray<readonly [string, string]>
  username?: string
  error?: string
  /** The signed-in user's name: the form then only approves or denies (the session is the sign-in) */
  signedInAs?: string
}

/** The approve/deny form; with the sign-in fields when no browser session names the user. */
export function consentPage(input: ConsentPage): string {
  return renderView('consent', { ...input, consent: true, referrer: 'no-referrer', permText: PERM_TEXT[input.perms] ?? input.perms })
}

/** A page with a title and one paragraph of plain text, plus an optional large code (the oob verifier). */
export function messagePage(title: string, text: string, code?: string): string {
  return renderView('message', { title, text, code, consent: true, referrer: 'no-referrer' })
}

/**
 * Sends a page with headers that keep it out of frames (clickjacking of the Approve button), caches
 * and referrers (the URL carries the request token). No form-action CSP: browsers apply it to the
 * redirect that follows an approval, which would block callbacks on other hosts.
 */
export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'")
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(html)
}

/** `url` with `params` appended to its query, keeping any query and fragment it already has. */
export function appendQuery(url: string, params: ReadonlyArray<readonly [string, string]>): string {
  const hashAt = url.indexOf('#')
  const base = hashAt === -1 ? url : url.slice(0, hashAt)
  const fragment = hashAt === -1 ? '' : url.slice(hashAt)
  const query = params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${separator}${query}${fragment}`
}
