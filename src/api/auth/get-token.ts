import { FlickrError } from '../../errors/flickr-error.js'
import { redeemFrob } from '../../domain/accounts/legacy-auth.js'
import { defineMethod, requireArg } from '../registry.js'
import { tokenPayload } from './auth-payload.js'

const invalidFrob = () => new FlickrError(108, 'Invalid frob')

export const authGetToken = defineMethod({
  name: 'flickr.auth.getToken',
  description:
    'Returns the auth token for the given frob, if one has been attached. This method call must be signed. A frob can be exchanged for a token only once.',
  perms: 'none',
  needsSigning: true,
  writes: false,
  args: [
    { name: 'api_key', required: true, description: 'Your API application key.' },
    { name: 'frob', required: true, description: 'The frob to check.' },
  ],
  // The frob is unknown, expired, of another app, not approved yet, or already exchanged.
  errors: [{ code: 108, message: 'Invalid frob' }],
  async handle(ctx) {
    const grant = await redeemFrob(ctx.services, requireArg(ctx, 'frob', invalidFrob), ctx.app!.apiKey)
    if (!grant) throw invalidFrob()
    return tokenPayload('auth', grant.token, grant.perms, grant.user)
  },
})
