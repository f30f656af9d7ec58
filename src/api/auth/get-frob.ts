import { createFrob } from '../../domain/accounts/legacy-auth.js'
import { textEl } from '../payload.js'
import { defineMethod } from '../registry.js'

export const authGetFrob = defineMethod({
  name: 'flickr.auth.getFrob',
  description:
    'Returns a frob to be used during authentication. This method call must be signed. (Legacy, pre-OAuth authentication: send the user to /services/auth/ with the frob, then call flickr.auth.getToken.)',
  perms: 'none',
  needsSigning: true,
  // Signing in keeps working in maintenance mode: frobs and tokens are not user data.
  args: {},
  async handle(ctx) {
    return [textEl('frob', await createFrob(ctx.services, ctx.app.apiKey))]
  },
})
