import type { PhotoRow } from '../../db/photo-repository.js'
import { photoSourceUrl, sizePageUrl } from '../../domain/photos/photo-urls.js'
import type { PublicUrls } from '../../http/public-urls.js'
import { el, list, type Element } from '../payload.js'
import { flickrSizes } from '../../images/sizes.js'
import { photoIdArg } from '../args.js'
import { defineMethod } from '../registry.js'

export const photosGetSizes = defineMethod({
  name: 'flickr.photos.getSizes',
  description: 'Returns the available sizes for a photo. The calling user must have permission to view the photo.',
  perms: 'none',
  args: { photo_id: photoIdArg('The id of the photo to fetch size information for.') },
  async handle(ctx, args) {
    const photo = await ctx.services.photoService.viewable(ctx.actor?.user.nsid ?? null, args.photo_id)
    const files = await ctx.services.photos.files(photo.id, photo.revision)
    // Table order, then Original (reference §6.2): clients often take the last entry as the biggest.
    const sizes: Element[] = []
    for (const size of flickrSizes) {
      const file = files.find((f) => f.suffix === size.suffix)
      if (file) sizes.push(sizeElement(ctx.urls, photo, size.label, size.suffix, size.pageCode, file))
    }
    const original = files.find((f) => f.suffix === 'o')
    if (original) sizes.push(sizeElement(ctx.urls, photo, 'Original', 'o', 'o', original))
    return [el('sizes', { canblog: 0, canprint: 0, candownload: 1 }, list('size', sizes))]
  },
})

function sizeElement(
  urls: PublicUrls,
  photo: PhotoRow,
  label: string,
  suffix: string,
  pageCode: string,
  file: { width: number; height: number },
): Element {
  return el('size', {
    label,
    width: file.width,
    height: file.height,
    source: photoSourceUrl(urls.static, photo, suffix),
    url: sizePageUrl(urls.web, photo.ownerNsid, photo.id, pageCode),
    media: 'photo',
  })
}
