import { z } from 'zod'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { listingFilter } from '../../domain/photos/visibility.js'
import { normaliseTag } from '../../domain/photos/tags.js'
import { optionalUserArg } from '../list-args.js'
import { el, list, textEl } from '../payload.js'
import { defineMethod, optional, type MethodContext } from '../registry.js'

// tags.getListUser, getListUserRaw and getListUserPopular (reference part 2 §6.1): `<who id><tags>…`,
// alphabetical, over the photos the caller may see (the one visibility rule as a listing filter).

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** user_id (default: the caller) as an existing account's NSID; 1 "User not found" otherwise. */
async function whose(ctx: MethodContext, userId: string | undefined): Promise<string> {
  const nsid = userId === undefined || userId === 'me' ? ctx.actor?.user.nsid : userId
  if (!nsid || (nsid !== ctx.actor?.user.nsid && !(await ctx.services.accounts.byNsid(nsid)))) throw new FlickrError(methodErrors.userNotFound)
  return nsid
}

export const tagsGetListUser = defineMethod({
  name: 'flickr.tags.getListUser',
  description: 'Get the tag list for a given user (or the currently logged in user).',
  perms: 'none',
  args: { user_id: optionalUserArg('The NSID of the user to fetch the tag list for. Defaults to the calling user.') },
  errors: [methodErrors.userNotFound],
  async handle(ctx, args) {
    const nsid = await whose(ctx, args.user_id)
    const tags = (await ctx.services.tags.clean(nsid, listingFilter(nsid, ctx.actor?.user.nsid).publicOnly)).sort(byText)
    return [el('who', { id: nsid }, el('tags', undefined, list('tag', tags.map((tag) => textEl('tag', tag)))))]
  },
})

export const tagsGetListUserRaw = defineMethod({
  name: 'flickr.tags.getListUserRaw',
  description: 'Get the raw versions of a given tag (or all tags) for the currently logged-in user.',
  perms: 'none',
  args: { tag: optional('The tag you want to retrieve all raw versions for. Defaults to every tag.', z.string().optional().transform((v) => (v?.trim() ? normaliseTag(v) : undefined))) },
  errors: [methodErrors.userNotFound],
  async handle(ctx, args) {
    if (!ctx.actor) throw new FlickrError(methodErrors.userNotFound)
    const nsid = ctx.actor.user.nsid
    const grouped = new Map<string, string[]>()
    for (const row of await ctx.services.tags.raw(nsid, args.tag)) grouped.set(row.clean, [...(grouped.get(row.clean) ?? []), row.raw])
    const items = [...grouped.keys()].sort(byText).map((clean) => el('tag', { clean }, list('raw', grouped.get(clean)!.sort(byText).map((raw) => textEl('raw', raw)))))
    return [el('who', { id: nsid }, el('tags', undefined, list('tag', items)))]
  },
})

export const tagsGetListUserPopular = defineMethod({
  name: 'flickr.tags.getListUserPopular',
  description: 'Get the popular tags for a given user (or the currently logged in user), alphabetically.',
  perms: 'none',
  args: {
    user_id: optionalUserArg('The NSID of the user to fetch the tag list for. Defaults to the calling user.'),
    count: optional('Number of popular tags to return. Defaults to 10.', z.string().optional().transform((v) => (v && /^\d{1,4}$/.test(v.trim()) && Number(v) > 0 ? Number(v) : 10))),
  },
  errors: [methodErrors.userNotFound],
  async handle(ctx, args) {
    const nsid = await whose(ctx, args.user_id)
    const popular = await ctx.services.tags.popular(nsid, listingFilter(nsid, ctx.actor?.user.nsid).publicOnly, Math.min(args.count, 1000))
    const items = popular.sort((a, b) => byText(a.clean, b.clean)).map((tag) => textEl('tag', tag.clean, { count: tag.n }))
    return [el('who', { id: nsid }, el('tags', undefined, list('tag', items)))]
  },
})
