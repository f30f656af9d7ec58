// What photos.search (and the lists built on it: getRecent, recentlyUpdated) may ask of the
// database, already parsed and normalised. The API layer builds it from arguments; the search
// repository turns it into SQL. The visibility part is always listingScope's.

/** A machine-tag query; an absent part is Flickr's `*` (or left out: `ns:` = any predicate and value). */
export interface MachineTagQuery {
  namespace?: string
  predicate?: string
  value?: string
}

export type SearchSort =
  | 'date-posted-desc'
  | 'date-posted-asc'
  | 'date-taken-asc'
  | 'date-taken-desc'
  | 'interestingness-desc'
  | 'interestingness-asc'
  | 'relevance'
  | 'last-update-desc'

export const SEARCH_SORTS: readonly SearchSort[] = ['date-posted-desc', 'date-posted-asc', 'date-taken-asc', 'date-taken-desc', 'interestingness-desc', 'interestingness-asc', 'relevance']

export interface SearchFilter {
  /** From listingScope: whose photos, public only or not, and whose own photos are always visible */
  scope: { ownerNsid?: string; publicOnly: boolean; ownNsid: string | null }
  /** Clean tags: photos with any (or all) of `include`, none of `exclude` */
  tags?: { include: string[]; exclude: string[]; mode: 'any' | 'all' }
  machineTags?: { queries: MachineTagQuery[]; mode: 'any' | 'all' }
  /** Lower-cased terms over title, description and tags */
  text?: { include: string[]; exclude: string[] }
  minUploadDate?: number
  maxUploadDate?: number
  /** MySQL datetimes (the stored form of date_taken) */
  minTakenDate?: string
  maxTakenDate?: string
  minLastUpdate?: number
  privacy?: { isPublic: number; isFriend: number; isFamily: number }
  contentTypes?: number[]
  /** Others' photos above this safety level are left out */
  maxSafetyLevel?: number
  licenses?: number[]
  hasGeo?: boolean
  /** Leave out others' photos their owners hid from public searches (hidden=2) */
  excludeHidden?: boolean
  /** Nothing can match (media=videos: Retake stores photos only) */
  none?: boolean
}

/** Splits on commas outside double quotes (`dc:title="a, b",geo:` is two items). */
export function splitOutsideQuotes(input: string, separator: RegExp = /,/): string[] {
  const items: string[] = []
  let current = ''
  let quoted = false
  for (const char of input) {
    if (char === '"') quoted = !quoted
    if (!quoted && separator.test(char)) {
      items.push(current)
      current = ''
    } else current += char
  }
  items.push(current)
  return items.map((item) => item.trim()).filter(Boolean)
}

const PART = /^(\*|[a-z_][a-z0-9_]*)$/i

/**
 * One `machine_tags` item as Flickr documents it (reference part 2 §6.4): `ns:`, `ns:pred=`,
 * `ns:pred=value` (value optionally quoted), with `*` for any namespace or predicate. The value is
 * cleaned as stored tags are. Undefined when the item is not a machine-tag query.
 */
export function parseMachineTagQuery(item: string, clean: (value: string) => string): MachineTagQuery | undefined {
  const match = /^([^:=]+):(?:([^:=]+)=(.*))?$/.exec(item.trim())
  if (!match) return undefined
  const [, namespace, predicate, rawValue] = match
  if (!PART.test(namespace!) || (predicate !== undefined && !PART.test(predicate))) return undefined
  const unquoted = rawValue?.replace(/^"(.*)"$/, '$1')
  const value = unquoted === undefined || unquoted === '' ? undefined : clean(unquoted)
  const part = (text: string | undefined) => (text === undefined || text === '*' ? undefined : text.toLowerCase())
  const query: MachineTagQuery = { namespace: part(namespace), predicate: part(predicate), value }
  // `*:*=` would match every machine tag: Flickr wants at least one part named.
  return query.namespace === undefined && query.predicate === undefined && query.value === undefined ? undefined : query
}
