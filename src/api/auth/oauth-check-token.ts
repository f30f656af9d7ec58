import { resolveAccessToken } from '../../domain/accounts/token-resolver.js'
import { standardErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { defineMethod, required } from '../registry.js'
import { tokenPayload } from './auth-payload.js'

export const authOauthCheckToken = defineMethod({
  name: 'flickr.auth.oauth.checkToken',
  description:
    'Returns the credentials attached to an OAuth authentication token. This method call must be signed (OAuth or api_sig); python flickrapi compares the returned perms with the level it stored.',
  perms: 'none',
  needsSigning: true,
  // python flickrapi sends no oauth_token argument: the signing token (merged from the header) is checked then.
  args: { oauth_token: required('The OAuth authentication token to check.', standardErrors.invalidAuthToken) },
  async handle(ctx, args) {
    // Only the application the token was issued to may inspect it.
    const resolved = await resolveAccessToken(ctx.services.credentials, args.oauth_token, { kind: 'oauth', apiKey: ctx.app.apiKey })
    if (!resolved) throw new FlickrError(standardErrors.invalidAuthToken)
    return tokenPayload('oauth', resolved.actor.token, resolved.actor.perms, resolved.actor.user)
  },
})
