import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { el, textEl } from '../payload.js'
import { defineMethod, required } from '../registry.js'

// `/photos/{name}` or `/people/{name}`, on any host (clients send flickr.com URLs), slash optional.
const USER_PATH = /(?:^|\/)(?:photos|people)\/([^/?#]+)/

export const urlsLookupUser = defineMethod({
  name: 'flickr.urls.lookupUser',
  description: "Returns a user NSID, given the url to a user's photos or profile (by NSID or username, with or without the trailing slash).",
  perms: 'none',
  args: { url: required('The url to the user’s profile or photos page.', methodErrors.userNotFound) },
  async handle(ctx, args) {
    const match = USER_PATH.exec(args.url.trim())
    let name: string | undefined
    try {
      name = match ? decodeURIComponent(match[1]!) : undefined
    } catch {
      name = undefined
    }
    const { accounts } = ctx.services
    const user = name === undefined ? undefined : ((await accounts.byNsid(name)) ?? (await accounts.byUsername(name)))
    if (!user) throw new FlickrError(methodErrors.userNotFound)
    return [el('user', { id: user.nsid }, textEl('username', user.username))]
  },
})
