import { issueAccessToken } from '../../domain/accounts/account-service.js'
import { standardErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { el } from '../payload.js'
import { defineMethod, required } from '../registry.js'

export const authOauthGetAccessToken = defineMethod({
  name: 'flickr.auth.oauth.getAccessToken',
  description:
    'Exchanges the legacy auth_token the call is signed with (api_sig) for an OAuth access token with the same permissions. The legacy token is revoked at once.',
  // Any legacy token (read or more) may be exchanged; the new token carries the same level.
  perms: 'read',
  needsSigning: true,
  args: { auth_token: required('The legacy authentication token to exchange (the one the call is made with).', standardErrors.invalidAuthToken) },
  async handle(ctx) {
    const actor = ctx.actor!
    if (actor.tokenKind !== 'legacy') throw new FlickrError(standardErrors.invalidAuthToken)
    // Revoke first and only once, so two concurrent exchanges cannot both mint a token.
    if (!(await ctx.services.tokens.revokeIfActive(actor.token))) throw new FlickrError(standardErrors.invalidAuthToken)
    ctx.services.credentials.forgetToken(actor.token)
    const issued = await issueAccessToken(ctx.services, { userNsid: actor.user.nsid, apiKey: ctx.app.apiKey, perms: actor.perms, legacy: false })
    return [el('auth', undefined, el('access_token', { oauth_token: issued.token, oauth_token_secret: issued.secret }))]
  },
})
