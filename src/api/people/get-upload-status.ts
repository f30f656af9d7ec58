import { el, textEl } from '../payload.js'
import { planOf, uploadStatus } from '../../domain/accounts/upload-status.js'
import { defineMethod } from '../registry.js'
import { NO_PHOTO_LIMIT, photoLimitAttrs } from './photo-limit.js'

const kb = (bytes: number) => Math.floor(bytes / 1024)
const sizeAttrs = (bytes: number) => ({ maxbytes: bytes, maxkb: kb(bytes), maxmb: Math.floor(bytes / 1048576) })

export const peopleGetUploadStatus = defineMethod({
  name: 'flickr.people.getUploadStatus',
  description: `Returns information for the calling user related to photo uploads: the plan's limits and this month's usage. <user> carries upload_count (photos the account holds) and upload_limit (the plan's photo limit; ${NO_PHOTO_LIMIT} for a plan with no photo limit) for Shotwell; <sets created> counts the user's sets; <videosize> repeats the file-size limit (Retake stores no videos and refuses them at upload).`,
  perms: 'read',
  needsSigning: true,
  args: {},
  async handle(ctx) {
    const user = ctx.actor!.user
    const { services } = ctx
    const usage = await services.usageReport.get(user.nsid, services.clock())
    const status = uploadStatus(user, planOf(user, services.config.plans), usage)
    const { bandwidth, fileSize } = status
    // Byte figures can pass 2^31; Flickr adds KB figures for 32-bit clients (flickcurl reads with atoi).
    return [
      el(
        'user',
        { id: user.nsid, ispro: status.isPro ? 1 : 0, ...photoLimitAttrs(status.photos) },
        textEl('username', user.username),
        el('bandwidth', {
          maxbytes: bandwidth.maxBytes,
          maxkb: kb(bandwidth.maxBytes),
          usedbytes: bandwidth.usedBytes,
          usedkb: kb(bandwidth.usedBytes),
          remainingbytes: bandwidth.remainingBytes,
          remainingkb: kb(bandwidth.remainingBytes),
          unlimited: bandwidth.unlimited ? 1 : 0,
        }),
        el('filesize', sizeAttrs(fileSize.maxBytes)),
        el('sets', { created: usage.sets, remaining: 'lots' }),
        // frogr reads videosize maxkb; Flickr places it between <sets> and <videos>.
        el('videosize', sizeAttrs(fileSize.maxBytes)),
        el('videos', { uploaded: 0, remaining: 0 }),
      ),
    ]
  },
})
