import { methodErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { redeemFrob } from '../../domain/accounts/legacy-auth.js'
import { defineMethod, required } from '../registry.js'
import { tokenPayload } from './auth-payload.js'

export const authGetToken = defineMethod({
  name: 'flickr.auth.getToken',
  description:
    'Returns the auth token for the given frob, if one has been attached. This method call must be signed. A frob can be exchanged for a token only once.',
  perms: 'none',
  needsSigning: true,
  args: { frob: required('The frob to check.', methodErrors.invalidFrob) },
  async handle(ctx, args) {
    const grant = await redeemFrob(ctx.services, args.frob, ctx.app.apiKey)
    if (!grant) throw new FlickrError(methodErrors.invalidFrob)
    return tokenPayload('auth', grant.token, grant.perms, grant.user)
  },
})
