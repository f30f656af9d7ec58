import type { Account } from '../../db/account-repository.js'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import type { MethodContext } from '../registry.js'
import { optionalUserArg } from '../list-args.js'

// A user's photostream and profile URLs. Retake has no path aliases, so URLs use the NSID (reference §8).

export function photosUrl(baseUrl: string, nsid: string): string {
  return `${baseUrl}/photos/${nsid}/`
}

export function profileUrl(baseUrl: string, nsid: string): string {
  return `${baseUrl}/people/${nsid}/`
}

export const urlUserArg = () => optionalUserArg('The NSID of the user to fetch the url for. If omitted, the calling user is assumed.')

/** The named user, or the caller; 2 when there is neither, 1 when nobody has that NSID. */
export async function urlUser(ctx: MethodContext, userId: string | undefined): Promise<Account> {
  const nsid = userId ?? ctx.actor?.user.nsid
  if (!nsid) throw new FlickrError(methodErrors.noUserSpecified)
  const user = await ctx.services.accounts.byNsid(nsid)
  if (!user) throw new FlickrError(methodErrors.userNotFound)
  return user
}
