import type { SearchFilter, SearchSort } from '../../domain/photos/search-filter.js'
import { pagingAttrs, rangeOf } from '../list-args.js'
import { el, list, type Payload } from '../payload.js'
import { basePhotoAttrs, loadExtras, photoListElement, visibilityAttrs } from '../photo-extras.js'
import type { MethodContext } from '../registry.js'

/** One page of a search-backed list as `<photos page pages perpage total>` with the extras asked for. */
export async function photoPage(ctx: MethodContext, filter: SearchFilter, sort: SearchSort, paging: { page: number; per_page: number; extras: string[] }): Promise<Payload> {
  const { page, per_page: perPage } = paging
  const { photos, total } = await ctx.services.photoSearch.search(filter, sort, rangeOf(page, perPage))
  const extras = await loadExtras(ctx.services, photos, paging.extras, ctx.actor?.user.nsid ?? null, ctx.urls)
  const items = photos.map((photo) => photoListElement(photo, { ...basePhotoAttrs(photo), ...visibilityAttrs(photo) }, extras))
  return [el('photos', pagingAttrs(page, perPage, total), list('photo', items))]
}
