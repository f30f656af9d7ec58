import { z } from 'zod'
import { methodErrors } from '../../../errors/catalogue.js'
import { licenseFields } from '../../../domain/photos/photo-fields.js'
import { photoIdArg } from '../../args.js'
import { el, list } from '../../payload.js'
import { defineMethod, required } from '../../registry.js'

/** Flickr's current list, in Flickr's order (reference part 2 §7.5, May 2025). */
export const LICENSES: ReadonlyArray<{ id: number; name: string; url: string }> = [
  { id: 0, name: 'All Rights Reserved', url: 'https://www.flickrhelp.com/hc/en-us/articles/10710266545556-Using-Flickr-images-shared-by-other-members' },
  { id: 4, name: 'CC BY 2.0', url: 'https://creativecommons.org/licenses/by/2.0/' },
  { id: 6, name: 'CC BY-ND 2.0', url: 'https://creativecommons.org/licenses/by-nd/2.0/' },
  { id: 3, name: 'CC BY-NC-ND 2.0', url: 'https://creativecommons.org/licenses/by-nc-nd/2.0/' },
  { id: 2, name: 'CC BY-NC 2.0', url: 'https://creativecommons.org/licenses/by-nc/2.0/' },
  { id: 1, name: 'CC BY-NC-SA 2.0', url: 'https://creativecommons.org/licenses/by-nc-sa/2.0/' },
  { id: 5, name: 'CC BY-SA 2.0', url: 'https://creativecommons.org/licenses/by-sa/2.0/' },
  { id: 7, name: 'No known copyright restrictions', url: 'https://www.flickr.com/commons/usage/' },
  { id: 8, name: 'United States Government Work', url: 'https://www.usa.gov/government-copyright' },
  { id: 9, name: 'Public Domain Dedication (CC0)', url: 'https://creativecommons.org/publicdomain/zero/1.0/' },
  { id: 10, name: 'Public Domain Mark', url: 'https://creativecommons.org/publicdomain/mark/1.0/' },
  { id: 11, name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
  { id: 12, name: 'CC BY-SA 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/' },
  { id: 13, name: 'CC BY-ND 4.0', url: 'https://creativecommons.org/licenses/by-nd/4.0/' },
  { id: 14, name: 'CC BY-NC 4.0', url: 'https://creativecommons.org/licenses/by-nc/4.0/' },
  { id: 15, name: 'CC BY-NC-SA 4.0', url: 'https://creativecommons.org/licenses/by-nc-sa/4.0/' },
  { id: 16, name: 'CC BY-NC-ND 4.0', url: 'https://creativecommons.org/licenses/by-nc-nd/4.0/' },
]

export const licensesGetInfo = defineMethod({
  name: 'flickr.photos.licenses.getInfo',
  description: 'Fetches a list of available photo licenses.',
  perms: 'none',
  args: {},
  async handle() {
    // id as a string in JSON, as every other id (its type in Flickr's JSON is unconfirmed).
    return [el('licenses', undefined, list('license', LICENSES.map((l) => el('license', { id: String(l.id), name: l.name, url: l.url }))))]
  },
})

export const licensesSetLicense = defineMethod({
  name: 'flickr.photos.licenses.setLicense',
  description: 'Sets the license for a photo.',
  perms: 'write',
  needsSigning: true,
  writes: true,
  args: {
    photo_id: photoIdArg('The photo to update the license for.'),
    license_id: required('The license to apply, or 0 (zero) to remove the current license.', methodErrors.licenseNotFound, z.string().regex(/^\d{1,3}$/).transform(Number)),
  },
  async handle(ctx, args) {
    await ctx.services.photoService.updateFields(ctx.actor!.user, args.photo_id, licenseFields(args.license_id))
    return []
  },
})
