import { z } from 'zod'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { normaliseTag } from '../../domain/photos/tags.js'
import { parseMachineTagQuery, SEARCH_SORTS, splitOutsideQuotes, type SearchFilter, type SearchSort } from '../../domain/photos/search-filter.js'
import { optional } from '../registry.js'

// photos.search's own argument shapes (reference part 2 §4.1). Unreadable optional values count as
// absent, as Flickr ignores them.

const MAX_ALL_TAGS = 20
const MAX_MACHINE_TAGS = { all: 16, any: 8 }

const trimmed = z.string().optional().transform((value) => value?.trim() || undefined)

export const modeArg = (description: string) => optional(description, z.string().optional().transform((value) => (value?.trim().toLowerCase() === 'all' ? ('all' as const) : ('any' as const))))

export const sortArg = () =>
  optional(
    `The order in which to sort returned photos: ${SEARCH_SORTS.join(', ')}. Defaults to date-posted-desc. Interestingness sorts by views; relevance as date-posted-desc.`,
    z.string().optional().transform((value): SearchSort => (SEARCH_SORTS.find((sort) => sort === value?.trim().toLowerCase()) ?? 'date-posted-desc')),
  )

/** An integer list (`license=4,5`); absent or unreadable: undefined. */
export const intListArg = (description: string) =>
  optional(
    description,
    trimmed.transform((value) => {
      const ids = (value ?? '').split(',').map((id) => id.trim()).filter((id) => /^\d{1,3}$/.test(id)).map(Number)
      return ids.length > 0 ? ids : undefined
    }),
  )

export const levelArg = (description: string) => optional(description, trimmed.transform((value) => (value && /^[123]$/.test(value) ? Number(value) : undefined)))

/** content_type 1..7 as the set of stored content types (1 photo, 2 screenshot, 3 other). */
const CONTENT_TYPES: Record<string, number[]> = { '1': [1], '2': [2], '3': [3], '4': [1, 2], '5': [2, 3], '6': [1, 3], '7': [1, 2, 3] }
export const contentTypeArg = () =>
  optional('1 photos, 2 screenshots, 3 other, 4 photos and screenshots, 5 screenshots and other, 6 photos and other, 7 all.', trimmed.transform((value) => (value ? CONTENT_TYPES[value] : undefined)))

/** has_geo: any value means geotagged, except 0 (reference §10). */
export const hasGeoArg = () => optional('Any value but 0: geotagged photos only; 0: photos without a location.', z.string().optional().transform((value) => (value === undefined ? undefined : value.trim() !== '0')))

export const rawTextArg = (description: string) => optional(description, trimmed)

/** Clean tags from a comma list; `-tag` excludes. tag_mode=all with more than 20 answers 1. */
export function tagQuery(input: string | undefined, mode: 'any' | 'all'): SearchFilter['tags'] {
  if (!input) return undefined
  const include: string[] = []
  const exclude: string[] = []
  for (const item of splitOutsideQuotes(input)) {
    const negated = item.startsWith('-')
    const clean = normaliseTag(item.replace(/^-/, '').replace(/^"(.*)"$/, '$1'))
    if (clean) (negated ? exclude : include).push(clean)
  }
  if (mode === 'all' && include.length > MAX_ALL_TAGS) throw new FlickrError(methodErrors.tooManyTagsInAll)
  return include.length + exclude.length > 0 ? { include, exclude, mode } : undefined
}

/** machine_tags: 11 when none is valid, 12 past Flickr's caps. */
export function machineTagQuery(input: string | undefined, mode: 'any' | 'all'): SearchFilter['machineTags'] {
  if (!input) return undefined
  const items = splitOutsideQuotes(input)
  const queries = items.map((item) => parseMachineTagQuery(item, (value) => normaliseTag(value))).filter((query) => query !== undefined)
  if (queries.length === 0) throw new FlickrError(methodErrors.noValidMachineTags)
  if (queries.length > MAX_MACHINE_TAGS[mode]) throw new FlickrError(methodErrors.tooManyMachineTags)
  return { queries, mode }
}

/** Free text: terms (or quoted phrases), lower-cased; `-term` excludes. */
export function textQuery(input: string | undefined): SearchFilter['text'] {
  if (!input) return undefined
  const include: string[] = []
  const exclude: string[] = []
  for (const match of input.matchAll(/(-?)"([^"]+)"|(-?)(\S+)/g)) {
    const negated = (match[1] ?? match[3]) === '-'
    const term = (match[2] ?? match[4] ?? '').toLowerCase()
    if (term) (negated ? exclude : include).push(term)
  }
  return include.length + exclude.length > 0 ? { include, exclude } : undefined
}

/** Unix seconds as date_taken's stored form (MySQL datetime, UTC). */
export function mysqlDatetime(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')
}
