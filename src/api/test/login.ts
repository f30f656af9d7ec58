import { el, textEl } from '../payload.js'
import { defineMethod } from '../registry.js'

export const testLogin = defineMethod({
  name: 'flickr.test.login',
  description: 'A testing method which checks if the caller is logged in then returns their username.',
  perms: 'read',
  needsSigning: true,
  args: {},
  async handle(ctx) {
    const user = ctx.actor!.user
    return [el('user', { id: user.nsid }, textEl('username', user.username))]
  },
})
