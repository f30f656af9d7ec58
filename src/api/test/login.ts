import { el, textEl } from '../../http/payload.js'
import { defineMethod } from '../registry.js'

export const testLogin = defineMethod({
  name: 'flickr.test.login',
  description: 'A testing method which checks if the caller is logged in then returns their username.',
  perms: 'read',
  needsSigning: true,
  writes: false,
  args: [{ name: 'api_key', required: true, description: 'Your API application key.' }],
  errors: [],
  async handle(ctx) {
    const user = ctx.actor!.user
    return [el('user', { id: user.nsid }, textEl('username', user.username))]
  },
})
