import { el, textEl } from '../payload.js'
import { planOf, uploadStatus } from '../../domain/accounts/upload-status.js'
import { defineMethod } from '../registry.js'

const kb = (bytes: number) => Math.floor(bytes / 1024)

export const peopleGetUploadStatus = defineMethod({
  name: 'flickr.people.getUploadStatus',
  description: "Returns information for the calling user related to photo uploads: the plan's limits and this month's usage.",
  perms: 'read',
  needsSigning: true,
  args: {},
  async handle(ctx) {
    const user = ctx.actor!.user
    const { services } = ctx
    const status = uploadStatus(user, planOf(user, services.config.plans), await services.usageReport.get(user.nsid, services.clock()))
    const { bandwidth, fileSize } = status
    // Byte figures can pass 2^31; Flickr adds KB figures for 32-bit clients (flickcurl reads with atoi).
    return [
      el(
        'user',
        { id: user.nsid, ispro: status.isPro ? 1 : 0 },
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
        el('filesize', { maxbytes: fileSize.maxBytes, maxkb: kb(fileSize.maxBytes), maxmb: Math.floor(fileSize.maxBytes / 1048576) }),
        el('sets', { created: 0, remaining: 'lots' }),
        el('videos', { uploaded: 0, remaining: 0 }),
      ),
    ]
  },
})
