import { z } from 'zod'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { listingScope } from '../../domain/photos/visibility.js'
import { pageArg, perPageArg } from '../args.js'
import { extrasArg } from '../list-args.js'
import { defineMethod, required } from '../registry.js'
import { photoPage } from './photo-page.js'

/** Unix seconds, or a date Date.parse reads (Flickr takes "any English textual datetime description"). */
function parseMinDate(value: string | undefined): number | undefined {
  const text = value?.trim() ?? ''
  if (/^\d{1,12}$/.test(text)) return Number(text)
  const parsed = Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? `${text.replace(' ', 'T')}Z` : text)
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000)
}

export const photosRecentlyUpdated = defineMethod({
  name: 'flickr.photos.recentlyUpdated',
  description: 'Return a list of the calling user’s photos that have been created or modified since min_date, most recently updated first.',
  perms: 'read',
  needsSigning: true,
  args: {
    // Missing answers 1; a value that is not a date 2 (checked in the handler).
    min_date: required('A Unix timestamp (or a datetime) of the date from which modifications should be compared.', methodErrors.requiredArgumentMissing, z.string()),
    extras: extrasArg(),
    per_page: perPageArg(),
    page: pageArg(),
  },
  errors: [methodErrors.notAValidDate],
  async handle(ctx, args) {
    const nsid = ctx.actor!.user.nsid
    const minDate = parseMinDate(args.min_date)
    if (minDate === undefined) throw new FlickrError(methodErrors.notAValidDate)
    return photoPage(ctx, { scope: listingScope(nsid, nsid), minLastUpdate: minDate }, 'last-update-desc', args)
  },
})
