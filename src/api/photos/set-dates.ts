import { methodErrors } from '../../errors/catalogue.js'
import { dateFields } from '../../domain/photos/photo-fields.js'
import { photoIdArg, textArg } from '../args.js'
import { defineMethod } from '../registry.js'

export const photosSetDates = defineMethod({
  name: 'flickr.photos.setDates',
  description: 'Set one or both of the dates for a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The id of the photo to edit dates for.'),
    date_posted: textArg('The date the photo was uploaded (Unix timestamp).'),
    date_taken: textArg('The date the photo was taken (MySQL datetime; may be cut short: 2004-04 is 2004-04-01 00:00:00).'),
    date_taken_granularity: textArg('The granularity of the date the photo was taken: 0 full, 4 year-month, 6 year, 8 circa.'),
  },
  errors: [methodErrors.notEnoughArguments, methodErrors.invalidGranularity, methodErrors.invalidDatePosted, methodErrors.invalidDateTakenFormat, methodErrors.invalidDateTaken],
  async handle(ctx, args) {
    const fields = dateFields({ datePosted: args.date_posted, dateTaken: args.date_taken, granularity: args.date_taken_granularity }, ctx.services.clock())
    await ctx.services.photoService.updateFields(ctx.actor!.user, args.photo_id, fields)
    return []
  },
})
