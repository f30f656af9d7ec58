import { globalErrors } from '../../errors/global-errors.js'
import { defineMethod, requireArg } from '../registry.js'
import { tokenPayload } from './auth-payload.js'

export const authCheckToken = defineMethod({
  name: 'flickr.auth.checkToken',
  description: 'Returns the credentials attached to an authentication token (legacy auth_token). This method call must be signed.',
  perms: 'none',
  needsSigning: true,
  writes: false,
  args: [
    { name: 'api_key', required: true, description: 'Your API application key.' },
    { name: 'auth_token', required: true, description: 'The authentication token to check.' },
  ],
  // 98 (invalid auth token) is in the standard list; it is this method's own answer to a bad token.
  errors: [],
  async handle(ctx) {
    // The dispatcher already rejected a bad auth_token on api_sig calls; an OAuth-signed call is checked here.
    const value = requireArg(ctx, 'auth_token', globalErrors.invalidAuthToken)
    const token = await ctx.services.tokens.accessToken(value)
    if (!token || token.kind !== 'legacy' || token.apiKey !== ctx.app!.apiKey) throw globalErrors.invalidAuthToken()
    const user = await ctx.services.accounts.byNsid(token.userNsid)
    if (!user) throw globalErrors.invalidAuthToken()
    return tokenPayload('auth', token.token, token.perms, user)
  },
})
