import { sql, type Expression, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type SqlBool, type Transaction } from 'kysely'
import type { MachineTagQuery, SearchFilter, SearchSort } from '../domain/photos/search-filter.js'
import type { PhotoRow } from './photo-repository.js'
import type { Database } from './tables.js'

type Db = Kysely<Database> | Transaction<Database>
type Eb = ExpressionBuilder<Database, 'photos'>
type Condition = Expression<SqlBool>

/**
 * photos.search and the lists built on it. Tag and machine-tag conditions are `id IN (subquery)` on the
 * photo_tags indexes, so both engines start from the few matching tag rows rather than probing every
 * photo of the owner.
 */
export class PhotoSearchRepository {
  constructor(readonly db: Db) {}

  async search(filter: SearchFilter, sort: SearchSort, range: { limit: number; offset: number }): Promise<{ photos: PhotoRow[]; total: number }> {
    if (filter.none) return { photos: [], total: 0 }
    const base = this.db.selectFrom('photos').where((eb) => eb.and(conditions(eb, filter)))
    const ordered = orderBy(base.selectAll(), sort)
    const [photos, count] = await Promise.all([
      ordered.limit(range.limit).offset(range.offset).execute(),
      base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ])
    return { photos, total: Number(count.n) }
  }
}

type SortColumn = 'datePosted' | 'dateTaken' | 'views' | 'lastUpdate' | 'id'

/**
 * Each sort as columns, ties broken by id so pages never overlap. Retake has no interestingness score
 * (views stand in for it) nor a relevance model (relevance is the default, newest first).
 */
const SORT_COLUMNS: Record<SearchSort, ReadonlyArray<readonly [SortColumn, 'asc' | 'desc']>> = {
  'date-posted-desc': [['datePosted', 'desc'], ['id', 'desc']],
  'date-posted-asc': [['datePosted', 'asc'], ['id', 'asc']],
  'date-taken-asc': [['dateTaken', 'asc'], ['id', 'asc']],
  'date-taken-desc': [['dateTaken', 'desc'], ['id', 'desc']],
  'interestingness-desc': [['views', 'desc'], ['datePosted', 'desc'], ['id', 'desc']],
  'interestingness-asc': [['views', 'asc'], ['datePosted', 'asc'], ['id', 'asc']],
  relevance: [['datePosted', 'desc'], ['id', 'desc']],
  'last-update-desc': [['lastUpdate', 'desc'], ['id', 'desc']],
}

function orderBy(query: SelectQueryBuilder<Database, 'photos', PhotoRow>, sort: SearchSort): SelectQueryBuilder<Database, 'photos', PhotoRow> {
  let ordered = query
  for (const [column, direction] of SORT_COLUMNS[sort]) ordered = ordered.orderBy(column, direction)
  return ordered
}

function conditions(eb: Eb, filter: SearchFilter): Condition[] {
  const all: Condition[] = [...scopeConditions(eb, filter), ...tagConditions(eb, filter)]
  const { ref } = eb
  if (filter.minUploadDate !== undefined) all.push(eb(ref('datePosted'), '>=', filter.minUploadDate))
  if (filter.maxUploadDate !== undefined) all.push(eb(ref('datePosted'), '<=', filter.maxUploadDate))
  if (filter.minTakenDate !== undefined) all.push(eb(ref('dateTaken'), '>=', filter.minTakenDate))
  if (filter.maxTakenDate !== undefined) all.push(eb(ref('dateTaken'), '<=', filter.maxTakenDate))
  if (filter.minLastUpdate !== undefined) all.push(eb(ref('lastUpdate'), '>=', filter.minLastUpdate))
  if (filter.privacy) {
    all.push(eb(ref('isPublic'), '=', filter.privacy.isPublic), eb(ref('isFriend'), '=', filter.privacy.isFriend), eb(ref('isFamily'), '=', filter.privacy.isFamily))
  }
  if (filter.contentTypes) all.push(eb(ref('contentType'), 'in', filter.contentTypes))
  if (filter.licenses) all.push(eb(ref('license'), 'in', filter.licenses))
  if (filter.hasGeo !== undefined) all.push(eb(ref('accuracy'), filter.hasGeo ? '>' : '=', 0))
  for (const term of filter.text?.include ?? []) all.push(textMatch(eb, term))
  for (const term of filter.text?.exclude ?? []) all.push(eb.not(textMatch(eb, term)))
  return all
}

/** The visibility rule (listingScope) plus the levels that apply to other people's photos only. */
function scopeConditions(eb: Eb, filter: SearchFilter): Condition[] {
  const { scope } = filter
  const own = scope.ownNsid
  const orOwn = (condition: Condition): Condition => (own ? eb.or([condition, eb('ownerNsid', '=', own)]) : condition)
  const out: Condition[] = []
  if (scope.ownerNsid !== undefined) out.push(eb('ownerNsid', '=', scope.ownerNsid))
  if (scope.publicOnly) out.push(orOwn(eb('isPublic', '=', 1)))
  if (filter.maxSafetyLevel !== undefined && filter.maxSafetyLevel < 3) out.push(orOwn(eb('safetyLevel', '<=', filter.maxSafetyLevel)))
  if (filter.excludeHidden) out.push(orOwn(eb('hidden', '<>', 2)))
  return out
}

function tagConditions(eb: Eb, filter: SearchFilter): Condition[] {
  const out: Condition[] = []
  const withTag = (clean: string[]) => eb('id', 'in', eb.selectFrom('photoTags').select('photoTags.photoId').where('photoTags.clean', 'in', clean))
  const { tags, machineTags } = filter
  if (tags && tags.include.length > 0) {
    if (tags.mode === 'all') for (const tag of tags.include) out.push(withTag([tag]))
    else out.push(withTag(tags.include))
  }
  if (tags && tags.exclude.length > 0) out.push(eb.not(withTag(tags.exclude)))
  if (machineTags && machineTags.queries.length > 0) {
    const each = machineTags.queries.map((query) => machineMatch(eb, query))
    out.push(...(machineTags.mode === 'all' ? each : [eb.or(each)]))
  }
  return out
}

function machineMatch(eb: Eb, query: MachineTagQuery): Condition {
  let tagRows = eb.selectFrom('photoTags').select('photoTags.photoId').where('photoTags.mtNamespace', 'is not', null)
  if (query.namespace !== undefined) tagRows = tagRows.where('photoTags.mtNamespace', '=', query.namespace)
  if (query.predicate !== undefined) tagRows = tagRows.where('photoTags.mtPredicate', '=', query.predicate)
  if (query.value !== undefined) tagRows = tagRows.where('photoTags.mtValue', '=', query.value)
  return eb('id', 'in', tagRows)
}

/** One lower-cased term in the title, the description or a tag (LIKE with its wildcards escaped). */
function textMatch(eb: Eb, term: string): Condition {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const like = (column: string) => sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`
  const tagClean = term.replace(/[^\p{L}\p{N}]/gu, '')
  const inTags = eb('id', 'in', eb.selectFrom('photoTags').select('photoTags.photoId').where('photoTags.clean', '=', tagClean))
  return eb.or([like('photos.title'), like('photos.description'), inTags])
}
