/** The one error type of the Flickr API surface; rendered to XML/JSON only by http/flickr-envelope.ts. */
export class FlickrError extends Error {
  constructor(
    readonly code: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'FlickrError'
  }
}
