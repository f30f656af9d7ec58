import { fetch, type Dispatcher } from 'undici'

/** Reads the consent pages the way a browser would: hidden fields, the oob code, a form submission. */

function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** The form's hidden inputs, in page order. */
export function hiddenFields(html: string): Array<[string, string]> {
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescapeHtml(m[1]!), unescapeHtml(m[2]!)])
}

/** The form's action attribute (a path on the server). */
export function formAction(html: string): string {
  const match = /<form method="post" action="([^"]*)">/.exec(html)
  if (!match) throw new Error(`no form in page:\n${html}`)
  return unescapeHtml(match[1]!)
}

/** The big code on an "authorization complete" page (OAuth oob verifier or a web-flow frob). */
export function pageCode(html: string): string | undefined {
  const match = /<p class="code" id="code">([^<]*)<\/p>/.exec(html)
  return match ? unescapeHtml(match[1]!) : undefined
}

export interface PageResponse {
  status: number
  html: string
  headers: Headers
  location: string | null
}

export async function getPage(url: string, dispatcher: Dispatcher): Promise<PageResponse> {
  const response = await fetch(url, { dispatcher, redirect: 'manual' })
  return { status: response.status, html: await response.text(), headers: response.headers as unknown as Headers, location: response.headers.get('location') }
}

/**
 * Submits the page's form as a browser does (urlencoded: hidden fields, then the typed ones and the
 * pressed button), without following a redirect.
 */
export async function submitForm(
  origin: string,
  html: string,
  typed: { username?: string; password?: string; decision: 'approve' | 'deny' },
  dispatcher: Dispatcher,
): Promise<PageResponse> {
  const body = new URLSearchParams(hiddenFields(html))
  body.append('username', typed.username ?? '')
  body.append('password', typed.password ?? '')
  body.append('decision', typed.decision)
  const response = await fetch(`${origin}${formAction(html)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    dispatcher,
    redirect: 'manual',
  })
  return { status: response.status, html: await response.text(), headers: response.headers as unknown as Headers, location: response.headers.get('location') }
}
