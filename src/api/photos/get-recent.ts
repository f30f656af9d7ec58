import { pageArg, perPageArg } from '../args.js'
import { extrasArg } from '../list-args.js'
import { defineMethod } from '../registry.js'
import { photoPage } from './photo-page.js'

export const photosGetRecent = defineMethod({
  name: 'flickr.photos.getRecent',
  description: 'Returns a list of the latest public photos uploaded to Retake, newest first.',
  perms: 'none',
  args: { extras: extrasArg(), per_page: perPageArg(), page: pageArg() },
  async handle(ctx, args) {
    // Public photos only (not even the caller's own private ones), safe ones for calls without a user,
    // none their owners hid from public searches.
    const filter = { scope: { publicOnly: true, ownNsid: null }, maxSafetyLevel: ctx.actor ? undefined : 1, excludeHidden: true }
    return photoPage(ctx, filter, 'date-posted-desc', args)
  },
})
