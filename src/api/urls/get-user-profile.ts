import { methodErrors } from '../../errors/catalogue.js'
import { el } from '../payload.js'
import { defineMethod } from '../registry.js'
import { profileUrl, urlUser, urlUserArg } from './user-urls.js'

export const urlsGetUserProfile = defineMethod({
  name: 'flickr.urls.getUserProfile',
  description: "Returns the url to a user's profile.",
  perms: 'none',
  args: { user_id: urlUserArg() },
  errors: [methodErrors.userNotFound, methodErrors.noUserSpecified],
  async handle(ctx, args) {
    const user = await urlUser(ctx, args.user_id)
    return [el('user', { nsid: user.nsid, url: profileUrl(ctx.baseUrl, user.nsid) })]
  },
})
