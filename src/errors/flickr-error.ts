/** The one error type of the Flickr API surface; rendered to XML/JSON only by http/flickr-envelope.ts. */
export class FlickrError extends Error {
  /** When set, the HTTP answer carries `Retry-After` (back-pressure on 105) */
  readonly retryAfterSeconds: number | undefined

  constructor(
    readonly code: number,
    message: string,
    options?: ErrorOptions & { retryAfterSeconds?: number },
  ) {
    super(message, options)
    this.name = 'FlickrError'
    this.retryAfterSeconds = options?.retryAfterSeconds
  }
}
