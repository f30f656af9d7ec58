import { z } from 'zod'
import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { photoIdArg } from '../args.js'
import { defineMethod, optional, required } from '../registry.js'

const oneOf = (allowed: RegExp) => z.string().optional().transform((v) => (v !== undefined && allowed.test(v.trim()) ? Number(v) : undefined))

export const photosSetSafetyLevel = defineMethod({
  name: 'flickr.photos.setSafetyLevel',
  description: 'Set the safety level of a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The id of the photo to set the safety level of.'),
    safety_level: optional('1 safe, 2 moderate, 3 restricted.', oneOf(/^[123]$/)),
    hidden: optional('1 to hide the photo from public searches, 0 to not.', oneOf(/^[01]$/)),
  },
  errors: [methodErrors.invalidSafetyArguments],
  async handle(ctx, args) {
    if (args.safety_level === undefined && args.hidden === undefined) throw new FlickrError(methodErrors.invalidSafetyArguments)
    // Stored as upload's `hidden`: 1 shown in public searches, 2 hidden.
    const fields = { ...(args.safety_level === undefined ? {} : { safetyLevel: args.safety_level }), ...(args.hidden === undefined ? {} : { hidden: args.hidden === 1 ? 2 : 1 }) }
    await ctx.services.photoService.updateFields(ctx.actor!.user, args.photo_id, fields)
    return []
  },
})

export const photosSetContentType = defineMethod({
  name: 'flickr.photos.setContentType',
  description: 'Set the content type of a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The id of the photo to set the content type of.'),
    content_type: required('1 photo, 2 screenshot, 3 other.', methodErrors.requiredArgumentsMissing, z.string().regex(/^[123]$/).transform(Number)),
  },
  async handle(ctx, args) {
    await ctx.services.photoService.updateFields(ctx.actor!.user, args.photo_id, { contentType: args.content_type })
    return []
  },
})
