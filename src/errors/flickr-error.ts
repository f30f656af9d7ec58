import { isCatalogued, type ErrorSpec } from './catalogue.js'

export interface FlickrErrorOptions extends ErrorOptions {
  /** Values for the spec's `{name}` placeholders */
  vars?: Readonly<Record<string, string | number>>
  /** When set, the HTTP answer carries `Retry-After` (back-pressure on 105) */
  retryAfterSeconds?: number
}

/**
 * The one error type of the Flickr API surface; rendered only by http/flickr-envelope.ts. It can only
 * be made from a spec of the catalogue, so every code and message answered is documented.
 */
export class FlickrError extends Error {
  readonly code: number
  readonly spec: ErrorSpec
  readonly retryAfterSeconds: number | undefined

  constructor(spec: ErrorSpec, options: FlickrErrorOptions = {}) {
    if (!isCatalogued(spec)) throw new TypeError(`error ${spec.code} "${spec.message}" is not in src/errors/catalogue.ts`)
    super(fill(spec.message, options.vars), options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'FlickrError'
    this.code = spec.code
    this.spec = spec
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}

function fill(template: string, vars: FlickrErrorOptions['vars']): string {
  if (!vars) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
}
