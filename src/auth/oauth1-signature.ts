import { createHmac, timingSafeEqual } from 'node:crypto'

// OAuth 1.0a HMAC-SHA1 signing as Flickr runs it (reference §4.2). Pure functions: gathering the
// parameters from the query, header and body is the caller's job.

/** A request parameter as received (already decoded); names may repeat. */
export type OAuthParam = [name: string, value: string]

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/
const ENCODED_BYTE = Array.from({ length: 256 }, (_, byte) => {
  const char = String.fromCharCode(byte)
  return UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
})

/**
 * RFC 3986 percent-encoding (RFC 5849 §3.6): only `A-Z a-z 0-9 - . _ ~` stay bare, UTF-8, uppercase hex.
 * Works on bytes rather than encodeURIComponent so a lone surrogate cannot throw.
 */
export function percentEncode(value: string): string {
  if (UNRESERVED.test(value)) return value
  try {
    // The native encoder is several times faster (every signed call encodes its whole base string);
    // it leaves !'()* bare, which RFC 3986 reserves, and throws on a lone surrogate.
    return encodeURIComponent(value).replace(/[!'()*]/g, (char) => ENCODED_BYTE[char.charCodeAt(0)]!)
  } catch {
    let out = ''
    for (const byte of Buffer.from(value, 'utf8')) out += ENCODED_BYTE[byte]
    return out
  }
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' }
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/

/**
 * The base-string URI of RFC 5849 §3.4.1.2: lowercase scheme and host, default port dropped, no
 * query or fragment. The path is kept byte for byte (trailing slash or not), because it must match
 * what the client signed; WHATWG URL parsing would rewrite it. Idempotent.
 */
export function normalizeUrl(url: string): string {
  const match = URL_PARTS.exec(url)
  if (!match) throw new TypeError(`Not an absolute URL: ${url}`)
  const scheme = match[1]!.toLowerCase()
  // Userinfo is never part of the base string.
  const authority = match[2]!.slice(match[2]!.lastIndexOf('@') + 1)
  const path = match[3] === '' ? '/' : match[3]!
  // The port follows the last colon, unless that colon is inside an IPv6 literal.
  const portMatch = /:(\d*)$/.exec(authority)
  let host = authority
  let port = ''
  if (portMatch && !authority.endsWith(']')) {
    host = authority.slice(0, portMatch.index)
    port = portMatch[1] === '' ? '' : String(Number(portMatch[1]))
  }
  if (host === '') throw new TypeError(`URL has no host: ${url}`)
  const portPart = port === '' || DEFAULT_PORTS[scheme] === port ? '' : `:${port}`
  return `${scheme}://${host.toLowerCase()}${portPart}${path}`
}

/**
 * `METHOD&enc(baseUrl)&enc(normalised params)` (RFC 5849 §3.4.1). `baseUrl` goes through
 * normalizeUrl (idempotent). Every `oauth_signature` is left out; `realm` is the caller's to drop
 * (parseAuthorizationHeader already does), since a query or body field named realm is signed.
 */
export function signatureBaseString(method: string, baseUrl: string, params: readonly OAuthParam[]): string {
  const encoded: Array<[string, string]> = []
  for (const [name, value] of params) {
    if (name !== 'oauth_signature') encoded.push([percentEncode(name), percentEncode(value)])
  }
  // Encoded strings are ASCII, so code-unit order is byte order (§3.4.1.3.2: name, then value).
  encoded.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
  const normalized = encoded.map(([name, value]) => `${name}=${value}`).join('&')
  return `${method.toUpperCase()}&${percentEncode(normalizeUrl(baseUrl))}&${percentEncode(normalized)}`
}

/** base64(HMAC-SHA1(enc(consumerSecret)&enc(tokenSecret), baseString)); empty token secret when there is none. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`
  return createHmac('sha1', key).update(baseString, 'utf8').digest('base64')
}

/** Whether `signature` (as received, percent-decoded) is right for `baseString`; constant time. */
export function verifyHmacSha1(
  signature: string,
  baseString: string,
  consumerSecret: string,
  tokenSecret = '',
): boolean {
  return constantTimeEqual(hmacSha1Signature(baseString, consumerSecret, tokenSecret), signature)
}

function constantTimeEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(actual, 'utf8')
  if (a.length !== b.length) {
    // Still do a full comparison so a wrong length costs the same time as a wrong byte.
    timingSafeEqual(a, a)
    return false
  }
  return timingSafeEqual(a, b)
}

const SCHEME = /^\s*OAuth(?:\s+|$)/i
const HEADER_PARAM = /\s*([^\s=,"]+)\s*=\s*(?:"([^"]*)"|([^\s,"]*))\s*(?:,|$)/y
const EMPTY_ITEM = /\s*,/y

/**
 * The parameters of an `Authorization: OAuth …` header (RFC 5849 §3.5.1), percent-decoded, in order,
 * without `realm`. Returns undefined when the header is absent or uses another scheme; throws a
 * SyntaxError when it is an OAuth header that cannot be parsed, so the caller can reject the request.
 */
export function parseAuthorizationHeader(header: string | undefined): OAuthParam[] | undefined {
  if (header === undefined) return undefined
  const scheme = SCHEME.exec(header)
  if (!scheme) return undefined
  const params: OAuthParam[] = []
  let pos = scheme[0].length
  while (pos < header.length) {
    EMPTY_ITEM.lastIndex = pos
    if (EMPTY_ITEM.test(header)) {
      pos = EMPTY_ITEM.lastIndex // tolerate empty list items (RFC 9110 §5.6.1)
      continue
    }
    if (header.slice(pos).trim() === '') break
    HEADER_PARAM.lastIndex = pos
    const match = HEADER_PARAM.exec(header)
    if (!match) throw new SyntaxError(`Malformed OAuth Authorization header at offset ${pos}`)
    pos = HEADER_PARAM.lastIndex
    const name = decode(match[1]!)
    if (name !== 'realm') params.push([name, decode(match[2] ?? match[3] ?? '')])
  }
  return params
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch (cause) {
    throw new SyntaxError(`Bad percent-encoding in OAuth Authorization header: ${text}`, { cause })
  }
}
