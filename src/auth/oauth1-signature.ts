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

/**
 * Longest OAuth `Authorization` header parsed; a longer one is malformed. Real ones are under 1 KiB
 * (seven short parameters); the cap bounds the work a hostile header can ask for.
 */
export const MAX_AUTHORIZATION_HEADER_LENGTH = 8 * 1024

/**
 * The parameters of an `Authorization: OAuth …` header (RFC 5849 §3.5.1), percent-decoded, in order,
 * without `realm`. Returns undefined when the header is absent or uses another scheme; throws a
 * SyntaxError when it is an OAuth header that cannot be parsed (or is longer than
 * MAX_AUTHORIZATION_HEADER_LENGTH, or repeats an `oauth_*` parameter, §3.1), so the caller can reject
 * the request. One pass, linear in the header's length.
 *
 * RFC 5849 asks for `name="value"` pairs separated by commas and optional spaces or tabs (RFC 2617
 * linear whitespace). Also accepted, as RFC 2617's auth-param allows and clients send: spaces around
 * `=`, unquoted token values, empty list items (RFC 9110 §5.6.1), backslash escapes in quoted values.
 * The scheme and `realm` are case-insensitive; `realm` is not percent-decoded (it is an RFC 2617 value).
 */
export function parseAuthorizationHeader(header: string | undefined): OAuthParam[] | undefined {
  if (header === undefined) return undefined
  const schemeEnd = skipWhitespace(header, 0) + 5
  if (header.slice(schemeEnd - 5, schemeEnd).toLowerCase() !== 'oauth') return undefined
  if (schemeEnd < header.length && !isWhitespace(header.charCodeAt(schemeEnd))) return undefined
  if (header.length > MAX_AUTHORIZATION_HEADER_LENGTH) {
    throw new SyntaxError(`OAuth Authorization header longer than ${MAX_AUTHORIZATION_HEADER_LENGTH} characters`)
  }
  const params: OAuthParam[] = []
  const seen = new Set<string>()
  for (const [rawName, rawValue] of scanHeaderItems(header, schemeEnd)) {
    if (rawName.toLowerCase() === 'realm') continue
    const name = decode(rawName)
    if (name.startsWith('oauth_')) {
      if (seen.has(name)) throw new SyntaxError(`OAuth Authorization header repeats ${name}`)
      seen.add(name)
    }
    params.push([name, decode(rawValue)])
  }
  return params
}

const SPACE = 0x20
const TAB = 0x09
const COMMA = 0x2c
const EQUALS = 0x3d
const QUOTE = 0x22
const BACKSLASH = 0x5c

const isWhitespace = (code: number): boolean => code === SPACE || code === TAB

function skipWhitespace(text: string, from: number): number {
  let pos = from
  while (pos < text.length && isWhitespace(text.charCodeAt(pos))) pos++
  return pos
}

const malformed = (pos: number): SyntaxError => new SyntaxError(`Malformed OAuth Authorization header at offset ${pos}`)

/** The raw (still encoded) name/value items after the scheme; every character is looked at once or twice. */
function scanHeaderItems(header: string, from: number): Array<[string, string]> {
  const items: Array<[string, string]> = []
  let pos = from
  for (;;) {
    // Whitespace and empty list items before the next item.
    while (pos < header.length && (isWhitespace(header.charCodeAt(pos)) || header.charCodeAt(pos) === COMMA)) pos++
    if (pos >= header.length) return items
    const nameEnd = scanToken(header, pos)
    if (nameEnd === pos) throw malformed(pos)
    const name = header.slice(pos, nameEnd)
    const equals = skipWhitespace(header, nameEnd)
    if (header.charCodeAt(equals) !== EQUALS) throw malformed(equals)
    const valueStart = skipWhitespace(header, equals + 1)
    const [value, valueEnd] = scanValue(header, valueStart)
    items.push([name, value])
    pos = skipWhitespace(header, valueEnd)
    if (pos < header.length && header.charCodeAt(pos) !== COMMA) throw malformed(pos)
  }
}

/** End of a run of characters that are not whitespace, `=`, `,` or `"`. */
function scanToken(text: string, from: number): number {
  let pos = from
  for (; pos < text.length; pos++) {
    const code = text.charCodeAt(pos)
    if (isWhitespace(code) || code === EQUALS || code === COMMA || code === QUOTE) break
  }
  return pos
}

/** A quoted-string or a bare token starting at `from`: its content and the offset after it. */
function scanValue(text: string, from: number): [string, number] {
  if (text.charCodeAt(from) === QUOTE) return scanQuoted(text, from)
  const end = scanToken(text, from)
  return [text.slice(from, end), end]
}

/** A quoted-string starting at `from` (its opening quote): its unescaped content and the offset after it. */
function scanQuoted(text: string, from: number): [string, number] {
  let value = ''
  let runStart = from + 1
  for (let pos = from + 1; pos < text.length; pos++) {
    const code = text.charCodeAt(pos)
    if (code === QUOTE) return [value + text.slice(runStart, pos), pos + 1]
    if (code === BACKSLASH) {
      // quoted-pair (RFC 2617 §1.2 via RFC 2616): the next character stands for itself.
      value += text.slice(runStart, pos)
      runStart = ++pos
    }
  }
  throw new SyntaxError(`Unterminated quoted value in OAuth Authorization header at offset ${from}`)
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch (cause) {
    throw new SyntaxError(`Bad percent-encoding in OAuth Authorization header: ${text}`, { cause })
  }
}
