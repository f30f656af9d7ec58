import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { el, textEl } from '../payload.js'
import { defineMethod, required } from '../registry.js'

export const peopleFindByUsername = defineMethod({
  name: 'flickr.people.findByUsername',
  description: "Return a user's NSID, given their username.",
  perms: 'none',
  args: { username: required('The username of the user to lookup.', methodErrors.userNotFound) },
  async handle(ctx, args) {
    const user = await ctx.services.accounts.byUsername(args.username.trim())
    if (!user) throw new FlickrError(methodErrors.userNotFound)
    return [el('user', { id: user.nsid, nsid: user.nsid }, textEl('username', user.username))]
  },
})
