import { z } from 'zod'
import { methodErrors } from '../../errors/catalogue.js'
import { photoIdArg } from '../args.js'
import { el, textEl } from '../payload.js'
import { defineMethod, optional, required } from '../registry.js'

const flag = (description: string) => required(description, methodErrors.requiredArgumentsMissing, z.string().regex(/^[01]$/).transform(Number))
const level = (description: string) => optional(description, z.string().optional().transform((v) => (v !== undefined && /^[0-3]$/.test(v.trim()) ? Number(v) : undefined)))

export const photosSetPerms = defineMethod({
  name: 'flickr.photos.setPerms',
  description: 'Set permissions for a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The id of the photo to set permissions for.'),
    is_public: flag('1 to set the photo to public, 0 to set it to private.'),
    is_friend: flag('1 to make the photo visible to friends when private, 0 to not.'),
    is_family: flag('1 to make the photo visible to family when private, 0 to not.'),
    perm_comment: level('Who can add comments: 0 nobody, 1 friends & family, 2 contacts, 3 everybody.'),
    perm_addmeta: level('Who can add notes and tags: 0 nobody (just the owner), 1 friends & family, 2 contacts, 3 everybody.'),
  },
  async handle(ctx, args) {
    const fields = { isPublic: args.is_public, isFriend: args.is_friend, isFamily: args.is_family, permComment: args.perm_comment, permAddmeta: args.perm_addmeta }
    const photo = await ctx.services.photoService.updateFields(ctx.actor!.user, args.photo_id, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)))
    // The documented answer; secrets do not change with privacy in Retake.
    return [textEl('photoid', photo.id, { secret: photo.secret, originalsecret: photo.originalSecret })]
  },
})

export const photosGetPerms = defineMethod({
  name: 'flickr.photos.getPerms',
  description: 'Get permissions for a photo.',
  perms: 'read',
  needsSigning: true,
  args: { photo_id: photoIdArg('The id of the photo to get permissions for.') },
  async handle(ctx, args) {
    const photo = await ctx.services.photoService.own(ctx.actor!.user, args.photo_id)
    return [el('perms', { id: photo.id, ispublic: photo.isPublic, isfriend: photo.isFriend, isfamily: photo.isFamily, permcomment: photo.permComment, permaddmeta: photo.permAddmeta, permprint: 0 })]
  },
})
