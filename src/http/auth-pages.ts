import type { FastifyReply } from 'fastify'

// The consent pages of the OAuth (`/services/oauth/authorize`) and legacy (`/services/auth/`) flows.
// No cookie session: the sign-in form posts username, password and the decision together, with the
// request's own identifiers (oauth_token, or api_key/frob/api_sig) in hidden fields.

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f4f6;color:#222}
main{max-width:26rem;margin:3rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.45rem;font:inherit}
.buttons{display:flex;gap:.8rem;margin-top:1.2rem}button{flex:1;padding:.55rem;font:inherit;cursor:pointer}
button[value=approve]{background:#0063dc;color:#fff;border:0;border-radius:4px}
.error{color:#b00020;font-weight:600}.code{font:2rem monospace;letter-spacing:.1em;text-align:center}`

/** A complete page; `body` must already be escaped HTML. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`
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
}

/** The sign-in and approve/deny form. */
export function consentPage(input: ConsentPage): string {
  const hidden = input.hidden
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n')
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>\n` : ''
  return page(
    'Authorize application',
    `${error}<p><strong>${escapeHtml(input.appName)}</strong> asks for <strong>${escapeHtml(input.perms)}</strong> permission:
it will be able to ${escapeHtml(PERM_TEXT[input.perms] ?? input.perms)}.</p>
<form method="post" action="${escapeHtml(input.action)}">
${hidden}
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(input.username ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div class="buttons">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
  )
}

/** A page with a title and one paragraph of plain text, plus an optional large code (the oob verifier). */
export function messagePage(title: string, text: string, code?: string): string {
  const codeHtml = code === undefined ? '' : `<p class="code" id="code">${escapeHtml(code)}</p>\n`
  return page(title, `<p>${escapeHtml(text)}</p>\n${codeHtml}`)
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
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
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
