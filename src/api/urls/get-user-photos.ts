import { methodErrors } from '../../errors/catalogue.js'
import { el } from '../payload.js'
import { defineMethod } from '../registry.js'
import { photosUrl, urlUser, urlUserArg } from './user-urls.js'

export const urlsGetUserPhotos = defineMethod({
  name: 'flickr.urls.getUserPhotos',
  description: "Returns the url to a user's photos.",
  perms: 'none',
  args: { user_id: urlUserArg() },
  errors: [methodErrors.userNotFound, methodErrors.noUserSpecified],
  async handle(ctx, args) {
    const user = await urlUser(ctx, args.user_id)
    return [el('user', { nsid: user.nsid, url: photosUrl(ctx.baseUrl, user.nsid) })]
  },
})
