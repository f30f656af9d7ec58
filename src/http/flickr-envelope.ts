import { type Attrs, type Child, type Element, isList, type Payload } from '../api/payload.js'
import { NOT_XML_CHARS } from '../domain/text.js'
import { standardErrors } from '../errors/catalogue.js'
import { FlickrError } from '../errors/flickr-error.js'

/** The only module that knows Flickr's response formats: REST XML, JSON, JSONP. */
export type ResponseFormat =
  | { kind: 'rest' }
  | { kind: 'json'; callback: string | null }

export interface RenderedResponse {
  contentType: string
  body: string
}

const XML_PROLOG = '<?xml version="1.0" encoding="utf-8" ?>\n'
const XML_TYPE = 'text/xml; charset=utf-8'

/**
 * Picks the format from the request's arguments. Unknown formats are error 111; Flickr answers that
 * error itself in XML, since the asked-for format is exactly what it cannot produce.
 */
export function responseFormat(params: ReadonlyMap<string, string>): ResponseFormat {
  const format = params.get('format') ?? 'rest'
  if (format === 'rest' || format === '') return { kind: 'rest' }
  if (format === 'json') {
    if (params.get('nojsoncallback') === '1') return { kind: 'json', callback: null }
    const callback = params.get('jsoncallback')
    // A JSONP callback becomes script text in the caller's page: allow identifier characters only.
    return { kind: 'json', callback: callback && /^[A-Za-z_$][\w$.]{0,63}$/.test(callback) ? callback : 'jsonFlickrApi' }
  }
  throw new FlickrError(standardErrors.formatNotFound, { vars: { format } })
}

export function renderSuccess(payload: Payload, format: ResponseFormat): RenderedResponse {
  if (format.kind === 'rest') {
    let body = XML_PROLOG + '<rsp stat="ok">\n'
    for (const child of payload) body += xmlChild(child, 0)
    return { contentType: XML_TYPE, body: body + '</rsp>\n' }
  }
  const object = jsonObject()
  for (const child of payload) addJsonChild(object, child)
  object.stat = 'ok'
  return renderJson(object, format.callback)
}

export function renderFailure(error: FlickrError, format: ResponseFormat): RenderedResponse {
  if (format.kind === 'rest') {
    // flickcurl reads <err> as the second child node of <rsp>: the newline and tab before it matter.
    return {
      contentType: XML_TYPE,
      body: `${XML_PROLOG}<rsp stat="fail">\n\t<err code="${error.code}" msg="${escapeXml(error.message)}" />\n</rsp>\n`,
    }
  }
  return renderJson({ stat: 'fail', code: error.code, message: error.message }, format.callback)
}

/** Upload and replace answer in XML only, whatever `format` says (flickr-sdk PR #104). */
export const UPLOAD_FORMAT: ResponseFormat = { kind: 'rest' }

function renderJson(object: Record<string, unknown>, callback: string | null): RenderedResponse {
  // Flickr escapes "/" in JSON strings; clients do not care, but byte-level comparisons do.
  const plain = JSON.stringify(object)
  const json = plain.includes('/') ? plain.replace(/\//g, '\\/') : plain
  if (callback === null) return { contentType: 'application/json; charset=utf-8', body: json }
  return { contentType: 'text/javascript; charset=utf-8', body: `${callback}(${json})` }
}

function xmlAttrs(attrs: Attrs | undefined): string {
  let out = ''
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null) continue
    out += ` ${name}="${escapeXml(String(value))}"`
  }
  return out
}

function xmlChild(child: Child, depth: number): string {
  if (isList(child)) return child.items.map((item) => xmlElement(item, depth)).join('')
  return xmlElement(child, depth)
}

// Top-level payload elements start at column 0 and nested ones are tab-indented, as Flickr's bytes are.
function xmlElement(element: Element, depth: number): string {
  const indent = '\t'.repeat(depth)
  const open = `${indent}<${element.name}${xmlAttrs(element.attrs)}`
  let inner = ''
  for (const child of element.children ?? []) inner += xmlChild(child, depth + 1)
  // An element whose only children are empty lists is empty, as Flickr writes it: <notes />.
  if (inner) return `${open}>\n${inner}${indent}</${element.name}>\n`
  if (element.text !== undefined) return `${open}>${escapeXml(element.text)}</${element.name}>\n`
  return `${open} />\n`
}

/** Null-prototype: names are data, so an echoed `__proto__` is a member like any other. */
function jsonObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>
}

function jsonElement(element: Element): Record<string, unknown> {
  const object = jsonObject()
  for (const [name, value] of Object.entries(element.attrs ?? {})) {
    if (value !== undefined) object[name] = value
  }
  for (const child of element.children ?? []) addJsonChild(object, child)
  if (element.text !== undefined) object._content = element.text
  return object
}

function addJsonChild(target: Record<string, unknown>, child: Child): void {
  if (isList(child)) {
    target[child.list] = child.items.map(jsonElement)
    return
  }
  const rendered = jsonElement(child)
  const existing = target[child.name]
  if (existing === undefined) target[child.name] = rendered
  else if (Array.isArray(existing)) existing.push(rendered)
  else target[child.name] = [existing, rendered]
}

/**
 * Text for XML content or a double-quoted attribute. A character XML cannot carry becomes U+FFFD, so
 * no document this module writes can fail to parse, whatever a request or a stored field held.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHARS, '\uFFFD').replace(/[&<>"\r]/g, (ch) => XML_ESCAPES[ch]!)
}

// A bare CR would be normalised away by any XML parser: keep it as a character reference.
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' }
