import { z } from 'zod'
import type { ErrorSpec } from '../errors/catalogue.js'
import { methodErrors } from '../errors/catalogue.js'
import { nameListArg, PHOTO_ID } from './args.js'
import { optional, required } from './registry.js'
import type { Attrs } from './payload.js'

// Arguments and paging shared by the album, people and context methods.

const PHOTOSET_ID = /^\d{1,20}$/

/** `photoset_id`: a set id, else the method's "not found" (1). */
export const photosetIdArg = (description: string, error: ErrorSpec = methodErrors.photosetNotFound) => required(description, error, z.string().regex(PHOTOSET_ID))

/** A photo id answered with the album methods' code 2 when missing or malformed. */
export const setPhotoIdArg = (description: string, error: ErrorSpec = methodErrors.photoNotFoundForSet) => required(description, error, z.string().regex(PHOTO_ID))

/** A required comma list of ids (`a,b`, `a, b`, flickcurl's trailing `a,b,`); empty answers `error`. */
export const idListArg = (description: string, error: ErrorSpec) =>
  required(
    description,
    error,
    z
      .string()
      .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
      .refine((ids) => ids.length > 0),
  )

/** `extras` as every list takes it. */
export const extrasArg = () =>
  nameListArg(
    'A comma-delimited list of extra information to fetch for each returned record: description, license, date_upload, date_taken, owner_name, icon_server, original_format, last_update, geo, tags, machine_tags, o_dims, views, media, path_alias, url_sq, url_t, url_s, url_q, url_m, url_n, url_w, url_z, url_c, url_l, url_h, url_k, url_o.',
  )

/** privacy_filter 1..5 as the exact visibility flags (the owner's own lists only); anything else is no filter. */
const PRIVACY: Record<string, { isPublic: number; isFriend: number; isFamily: number }> = {
  '1': { isPublic: 1, isFriend: 0, isFamily: 0 },
  '2': { isPublic: 0, isFriend: 1, isFamily: 0 },
  '3': { isPublic: 0, isFriend: 0, isFamily: 1 },
  '4': { isPublic: 0, isFriend: 1, isFamily: 1 },
  '5': { isPublic: 0, isFriend: 0, isFamily: 0 },
}
export const privacyFilterArg = () =>
  optional(
    'Return photos only matching a certain privacy level (the caller’s own photos only): 1 public, 2 friends, 3 family, 4 friends & family, 5 completely private.',
    z
      .string()
      .optional()
      .transform((value) => (value === undefined ? undefined : PRIVACY[value.trim()])),
  )

/** media: Retake stores photos only, so `videos` lists nothing. */
export const mediaArg = () =>
  optional(
    'Filter results by media type: all (default), photos or videos.',
    z
      .string()
      .optional()
      .transform((value) => (value?.trim().toLowerCase() === 'videos' ? 'videos' : 'all')),
  )

/** A date bound: Unix seconds or a MySQL datetime (read as UTC); unreadable values are no bound. */
export const dateBoundArg = (description: string) =>
  optional(
    description,
    z
      .string()
      .optional()
      .transform((value) => {
        const text = value?.trim() ?? ''
        if (/^\d{1,12}$/.test(text)) return Number(text)
        const parsed = /^\d{4}-\d\d-\d\d( \d\d:\d\d:\d\d)?$/.test(text) ? Date.parse(`${text.replace(' ', 'T')}${text.length > 10 ? '' : 'T00:00:00'}Z`) : NaN
        return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000)
      }),
  )

/** Optional user_id, `me` meaning the caller. */
export const optionalUserArg = (description: string) => optional(description, z.string().optional().transform((value) => value?.trim() || undefined))

/** `page pages perpage total`, all JSON numbers (gallery-dl compares them); no results: pages 0 (reference §0.1). */
export function pagingAttrs(page: number, perPage: number, total: number): Attrs {
  return { page, pages: Math.ceil(total / perPage), perpage: perPage, total }
}

export function rangeOf(page: number, perPage: number): { limit: number; offset: number } {
  return { limit: perPage, offset: (page - 1) * perPage }
}
