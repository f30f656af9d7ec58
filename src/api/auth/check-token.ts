import { resolveAccessToken } from '../../domain/accounts/token-resolver.js'
import { standardErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { defineMethod, required } from '../registry.js'
import { tokenPayload } from './auth-payload.js'

export const authCheckToken = defineMethod({
  name: 'flickr.auth.checkToken',
  description: 'Returns the credentials attached to an authentication token (legacy auth_token). This method call must be signed.',
  perms: 'none',
  needsSigning: true,
  // 98 is this method's own answer to a bad token (it is in the standard list too).
  args: { auth_token: required('The authentication token to check.', standardErrors.invalidAuthToken) },
  async handle(ctx, args) {
    // The dispatcher already rejected a bad auth_token on api_sig calls; an OAuth-signed call is checked here.
    const resolved = await resolveAccessToken(ctx.services.credentials, args.auth_token, { kind: 'legacy', apiKey: ctx.app.apiKey })
    if (!resolved) throw new FlickrError(standardErrors.invalidAuthToken)
    return tokenPayload('auth', resolved.actor.token, resolved.actor.perms, resolved.actor.user)
  },
})
