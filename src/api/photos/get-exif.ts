import { readExif } from '../../images/embedded-meta.js'
import { photoIdArg, textArg } from '../args.js'
import { el, list, textEl, type Element } from '../payload.js'
import { PHOTO_FARM } from './get-info.js'
import { defineMethod } from '../registry.js'

// EXIF lives in the first APP1 segment (at most 64 KiB) near the file's start.
const EXIF_WINDOW = 256 * 1024

/** `<clean>` where Flickr shows a prettier form (reference part 2 §7.9). */
function cleanValue(tag: string, value: unknown): string | undefined {
  if (tag === 'FNumber' && typeof value === 'number') return `f/${value}`
  if (tag === 'ExposureTime' && typeof value === 'number' && value > 0) return value < 1 ? `${value} sec (1/${Math.round(1 / value)})` : `${value} sec`
  if (tag === 'FocalLength' && typeof value === 'number') return `${value} mm`
  return undefined
}

function rawValue(tag: string, value: unknown): string {
  if (tag === 'ExposureTime' && typeof value === 'number' && value > 0 && value < 1) return `1/${Math.round(1 / value)}`
  return Array.isArray(value) ? value.join(' ') : String(value)
}

export const photosGetExif = defineMethod({
  name: 'flickr.photos.getExif',
  description: 'Retrieves a list of EXIF/TIFF/GPS tags for a given photo, read from its original. The calling user must have permission to view the photo.',
  perms: 'none',
  args: {
    photo_id: photoIdArg('The id of the photo to fetch information for.'),
    secret: textArg('The secret for the photo. If the correct secret is passed then permissions checking is skipped.'),
  },
  async handle(ctx, args) {
    const { services } = ctx
    const photo = await services.photoService.viewable(ctx.actor?.user.nsid ?? null, args.photo_id, args.secret)
    const original = await services.photos.currentFile(photo.id, 'o')
    const chunks: Buffer[] = []
    if (original) for await (const chunk of await services.blobs.get(original.blobKey, { start: 0, end: Math.min(original.bytes, EXIF_WINDOW) - 1 })) chunks.push(chunk as Buffer)
    const tags = original ? await readExif(Buffer.concat(chunks)) : []
    const find = (name: string) => tags.find((t) => t.tag === name)?.value
    const make = String(find('Make') ?? '').trim()
    const model = String(find('Model') ?? '').trim()
    const camera = model.toLowerCase().startsWith(make.toLowerCase()) ? model : [make, model].filter(Boolean).join(' ')
    const items: Element[] = tags.map(({ tagspace, tag, value }) => {
      const clean = cleanValue(tag, value)
      const children = [textEl('raw', rawValue(tag, value)), ...(clean ? [textEl('clean', clean)] : [])]
      return el('exif', { tagspace, tagspaceid: 0, tag, label: tag }, ...children)
    })
    return [el('photo', { id: photo.id, secret: photo.secret, server: photo.server, farm: PHOTO_FARM, camera }, list('exif', items))]
  },
})
