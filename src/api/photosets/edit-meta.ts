import { methodErrors } from '../../errors/catalogue.js'
import { textArg } from '../args.js'
import { photosetIdArg } from '../list-args.js'
import { defineMethod, required } from '../registry.js'

export const photosetsEditMeta = defineMethod({
  name: 'flickr.photosets.editMeta',
  description: 'Modify the meta-data for a photoset. A description left out keeps its value.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photoset_id: photosetIdArg('The id of the photoset to modify.'),
    title: required('The new title for the photoset.', methodErrors.noTitleToEdit),
    description: textArg('A description of the photoset (plain text; shown escaped).'),
  },
  async handle(ctx, args) {
    await ctx.services.albums.editMeta(ctx.actor!.user, args.photoset_id, { title: args.title, description: args.description })
    return []
  },
})
