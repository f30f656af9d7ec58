import { globalErrors } from '../../errors/global-errors.js'
import { defineMethod, requireArg } from '../registry.js'
import { tokenPayload } from './auth-payload.js'

export const authOauthCheckToken = defineMethod({
  name: 'flickr.auth.oauth.checkToken',
  description:
    'Returns the credentials attached to an OAuth authentication token. This method call must be signed (OAuth or api_sig); python flickrapi compares the returned perms with the level it stored.',
  perms: 'none',
  needsSigning: true,
  writes: false,
  args: [
    { name: 'api_key', required: true, description: 'Your API application key.' },
    { name: 'oauth_token', required: true, description: 'The OAuth authentication token to check.' },
  ],
  errors: [],
  async handle(ctx) {
    const value = requireArg(ctx, 'oauth_token', globalErrors.invalidAuthToken)
    const token = await ctx.services.tokens.accessToken(value)
    // Only the application the token was issued to may inspect it.
    if (!token || token.kind !== 'oauth' || token.apiKey !== ctx.app!.apiKey) throw globalErrors.invalidAuthToken()
    const user = await ctx.services.accounts.byNsid(token.userNsid)
    if (!user) throw globalErrors.invalidAuthToken()
    return tokenPayload('oauth', token.token, token.perms, user)
  },
})
