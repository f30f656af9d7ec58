import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { listingScope } from '../../domain/photos/visibility.js'
import type { SearchFilter } from '../../domain/photos/search-filter.js'
import { pageArg, perPageArg } from '../args.js'
import { dateBoundArg, extrasArg, mediaArg, optionalUserArg, privacyFilterArg } from '../list-args.js'
import { defineMethod, type ArgsOf, type MethodContext } from '../registry.js'
import { photoPage } from './photo-page.js'
import { contentTypeArg, hasGeoArg, intListArg, levelArg, machineTagQuery, modeArg, mysqlDatetime, rawTextArg, sortArg, tagQuery, textQuery } from './search-args.js'

const args = {
  user_id: optionalUserArg('The NSID of the user whose photos to search; "me" for the calling user. Omitted: everybody’s public photos.'),
  tags: rawTextArg('A comma-delimited list of tags; photos with any (tag_mode=any) or all (tag_mode=all) of them. A tag with a leading - is excluded.'),
  tag_mode: modeArg('any (OR, the default) or all (AND, at most 20 tags).'),
  machine_tags: rawTextArg('Machine tags or wildcard queries (ns:, ns:pred=, ns:pred=value, *:pred=value, ns:*=value, *:*=value), comma-delimited.'),
  machine_tag_mode: modeArg('any (the default; at most 8) or all (at most 16).'),
  text: rawTextArg('Free text over title, description and tags; a term with a leading - is excluded.'),
  min_upload_date: dateBoundArg('Minimum upload date (Unix timestamp or MySQL datetime), inclusive.'),
  max_upload_date: dateBoundArg('Maximum upload date (Unix timestamp or MySQL datetime), inclusive.'),
  min_taken_date: dateBoundArg('Minimum taken date (MySQL datetime or Unix timestamp), inclusive.'),
  max_taken_date: dateBoundArg('Maximum taken date (MySQL datetime or Unix timestamp), inclusive.'),
  license: intListArg('Licence id(s), comma-delimited (flickr.photos.licenses.getInfo).'),
  sort: sortArg(),
  privacy_filter: privacyFilterArg(),
  safe_search: levelArg('1 safe, 2 moderate, 3 restricted. Calls without a user see safe photos only.'),
  content_type: contentTypeArg(),
  media: mediaArg(),
  has_geo: hasGeoArg(),
  extras: extrasArg(),
  per_page: perPageArg(),
  page: pageArg(),
}

export const photosSearch = defineMethod({
  name: 'flickr.photos.search',
  description: 'Return a list of photos matching some criteria. Only photos visible to the calling user are returned.',
  perms: 'none',
  args,
  errors: [methodErrors.tooManyTagsInAll, methodErrors.unknownUser, methodErrors.parameterlessSearch, methodErrors.noValidMachineTags, methodErrors.tooManyMachineTags],
  async handle(ctx, input) {
    const filter = await searchFilter(ctx, input)
    return photoPage(ctx, filter, input.sort, input)
  },
})

async function searchFilter(ctx: MethodContext, input: ArgsOf<typeof args>): Promise<SearchFilter> {
  const viewer = ctx.actor?.user.nsid ?? null
  const ownerNsid = await ownerOf(ctx, input.user_id)
  const filter: SearchFilter = {
    scope: listingScope(viewer, ownerNsid),
    tags: tagQuery(input.tags, input.tag_mode),
    machineTags: machineTagQuery(input.machine_tags, input.machine_tag_mode),
    text: textQuery(input.text),
    minUploadDate: input.min_upload_date,
    maxUploadDate: input.max_upload_date,
    minTakenDate: mysqlDatetime(input.min_taken_date),
    maxTakenDate: mysqlDatetime(input.max_taken_date),
    privacy: input.privacy_filter,
    contentTypes: input.content_type,
    // "Un-authed calls can only see Safe content."
    maxSafetyLevel: viewer ? input.safe_search : 1,
    licenses: input.license,
    hasGeo: input.has_geo,
    excludeHidden: ownerNsid === undefined,
    none: input.media === 'videos',
  }
  const limited = ownerNsid !== undefined || filter.tags || filter.machineTags || filter.text || [input.min_upload_date, input.max_upload_date, input.min_taken_date, input.max_taken_date].some((d) => d !== undefined)
  if (!limited) throw new FlickrError(methodErrors.parameterlessSearch)
  return filter
}

/** user_id: `me` is the caller; an NSID must name someone (2 Unknown user). */
async function ownerOf(ctx: MethodContext, userId: string | undefined): Promise<string | undefined> {
  if (userId === undefined) return undefined
  if (userId === 'me') {
    if (!ctx.actor) throw new FlickrError(methodErrors.unknownUser)
    return ctx.actor.user.nsid
  }
  if (userId === ctx.actor?.user.nsid) return userId
  if (!(await ctx.services.accounts.byNsid(userId))) throw new FlickrError(methodErrors.unknownUser)
  return userId
}
