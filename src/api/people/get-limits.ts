import { planOf } from '../../domain/accounts/upload-status.js'
import { el } from '../payload.js'
import { defineMethod } from '../registry.js'

export const peopleGetLimits = defineMethod({
  name: 'flickr.people.getLimits',
  description:
    'Returns the calling user’s upload limits: photos maxupload is the plan’s largest file in bytes, maxdisplaypx 0 (no display limit). Retake stores no videos, but digiKam checks every file against videos maxupload, so it carries the same figure (maxduration 0).',
  perms: 'read',
  needsSigning: true,
  args: {},
  async handle(ctx) {
    const user = ctx.actor!.user
    const maxBytes = String(planOf(user, ctx.services.config.plans).maxFileBytes)
    // Strings in JSON, as Flickr's own answer has them.
    return [el('person', { nsid: user.nsid }, el('photos', { maxdisplaypx: '0', maxupload: maxBytes }), el('videos', { maxduration: '0', maxupload: maxBytes }))]
  },
})
