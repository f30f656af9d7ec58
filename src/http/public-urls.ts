import type { FastifyRequest } from 'fastify'
import type { Config } from '../config/schema.js'
import { publicOrigin } from './request-params.js'

/**
 * The one origin policy for URLs in responses. Flickr splits its URLs over hosts (reference §0, §6.1):
 * pages and OAuth on www, REST on api, uploads on up, photo files on live.staticflickr.com. Retake
 * answers every path on every host, so normally all four are the same origin; in drop-in mode they
 * are Flickr's own, which the hosts file sends back here.
 */
export interface PublicUrls {
  /** Photo, album and profile pages; the OAuth authorize page */
  web: string
  /** `/services/rest/` */
  api: string
  /** `/services/upload/` and `/services/replace/` */
  upload: string
  /** Photo files: `{static}/{server}/{id}_{secret}_{suffix}.jpg` */
  static: string
}

export const DROP_IN_URLS: Readonly<PublicUrls> = Object.freeze({
  web: 'https://www.flickr.com',
  api: 'https://api.flickr.com',
  upload: 'https://up.flickr.com',
  static: 'https://live.staticflickr.com',
})

export function publicUrlsFor(request: FastifyRequest, config: Pick<Config, 'dropIn' | 'publicUrl'>): PublicUrls {
  if (config.dropIn) return DROP_IN_URLS
  const origin = publicOrigin(request, config.publicUrl)
  return { web: origin, api: origin, upload: origin, static: origin }
}
