import { verifyApiSig } from '../auth/api-sig.js'
import { parseAuthorizationHeader } from '../auth/oauth1-signature.js'
import { OAuthRejection, SIGNED_REQUEST_PARAMS, verifyOAuthRequest } from '../auth/oauth-verifier.js'
import { PERM_RANK, type Actor, type PermLevel } from '../api/registry.js'
import type { App } from '../db/app-repository.js'
import { resolveAccessToken } from '../domain/accounts/token-resolver.js'
import { standardErrors } from '../errors/catalogue.js'
import { FlickrError } from '../errors/flickr-error.js'
import type { Services } from '../services.js'

export type ParamList = Array<[string, string]>

export interface SignedRequest {
  /** HTTP method as sent (GET/POST) */
  method: string
  /** The URL the client used, without query (OAuth base-string URL); null when the Host is unusable */
  baseUrl: string | null
  /** Query-string and body text fields, in arrival order; never the file part */
  params: ParamList
  authorization: string | undefined
}

export interface CallCredentials {
  app: App | null
  actor: Actor | null
  signed: boolean
  /** Arguments with OAuth header parameters merged in */
  params: ParamList
}

/** What an endpoint or method needs of its caller. */
export interface Requirement {
  perms: PermLevel
  /** Must be signed even when no user is needed (flickr.auth.*) */
  signed: boolean
}

const OAUTH_MARKERS = new Set(['oauth_consumer_key', 'oauth_signature', 'oauth_signature_method'])

/**
 * Who is calling, from OAuth 1.0a (header, query or body) or legacy api_key/auth_token/api_sig, for
 * REST, upload and replace alike. Throws the Flickr error those endpoints answer (96, 97, 98, 100).
 */
export async function authenticateCall(services: Services, request: SignedRequest): Promise<CallCredentials> {
  let headerParams: ParamList
  try {
    headerParams = parseAuthorizationHeader(request.authorization) ?? []
  } catch {
    throw new FlickrError(standardErrors.invalidSignature)
  }
  const params: ParamList = [...request.params, ...headerParams]
  if (params.some(([name]) => OAUTH_MARKERS.has(name))) {
    return { ...(await authenticateOAuth(services, request, params)), params }
  }
  return { ...(await authenticateLegacy(services, params)), params }
}

/**
 * The one permission check: an app was named (100), the token's level against the requirement
 * (`read < write < delete`, else 99, "none granted" with no user), then the signature (97).
 */
export function authorize(call: CallCredentials, requirement: Requirement): { app: App; actor: Actor | null } {
  if (!call.app) throw new FlickrError(standardErrors.invalidApiKey)
  if (requirement.perms !== 'none') {
    const granted = call.actor?.perms ?? 'none'
    if (PERM_RANK[granted] < PERM_RANK[requirement.perms]) {
      throw new FlickrError(standardErrors.insufficientPermissions, { vars: { required: requirement.perms, granted } })
    }
  }
  if (requirement.signed && !call.signed) throw new FlickrError(standardErrors.missingSignature)
  return { app: call.app, actor: call.actor }
}

function first(params: ParamList, name: string): string | undefined {
  return params.find(([key]) => key === name)?.[1]
}

async function authenticateOAuth(services: Services, request: SignedRequest, params: ParamList) {
  try {
    const verified = await verifyOAuthRequest(
      { findApp: (key) => services.credentials.app(key), nonces: services.nonces, clock: services.clock, windowSeconds: services.config.oauthTimestampWindowSeconds },
      { method: request.method, baseUrl: request.baseUrl, params },
      {
        required: SIGNED_REQUEST_PARAMS,
        findToken: async (app, value) => {
          const resolved = await resolveAccessToken(services.credentials, value, { kind: 'oauth', apiKey: app.apiKey })
          if (!resolved) throw new OAuthRejection('token_rejected')
          return { secret: resolved.secret, value: resolved.actor }
        },
      },
    )
    return { app: verified.app, actor: verified.token ?? null, signed: true }
  } catch (error) {
    throw error instanceof OAuthRejection ? restErrorFor(error) : error
  }
}

/** REST's codes for the shared verifier's problems. */
function restErrorFor(rejection: OAuthRejection): FlickrError {
  switch (rejection.problem) {
    case 'parameter_absent':
      if (rejection.parameters.includes('oauth_consumer_key')) return new FlickrError(standardErrors.invalidApiKey)
      if (rejection.parameters.includes('oauth_signature')) return new FlickrError(standardErrors.missingSignature)
      return new FlickrError(standardErrors.invalidSignature)
    case 'consumer_key_unknown':
      return new FlickrError(standardErrors.invalidApiKey)
    case 'token_rejected':
      return new FlickrError(standardErrors.invalidAuthToken)
    default:
      return new FlickrError(standardErrors.invalidSignature)
  }
}

async function authenticateLegacy(services: Services, params: ParamList) {
  const apiKey = first(params, 'api_key')
  const authToken = first(params, 'auth_token')
  const apiSig = first(params, 'api_sig')
  // A call carrying a token must be signed (Flickr auth spec), whichever kind of token it is.
  if (!apiSig && (authToken || first(params, 'oauth_token'))) throw new FlickrError(standardErrors.missingSignature)
  if (!apiKey) return { app: null, actor: null, signed: false }
  const app = await services.credentials.app(apiKey)
  if (!app) throw new FlickrError(standardErrors.invalidApiKey)
  if (!apiSig) return { app, actor: null, signed: false }
  if (!verifyApiSig(app.secret, params, apiSig)) throw new FlickrError(standardErrors.invalidSignature)
  let actor: Actor | null = null
  if (authToken) {
    const resolved = await resolveAccessToken(services.credentials, authToken, { kind: 'legacy', apiKey: app.apiKey })
    if (!resolved) throw new FlickrError(standardErrors.invalidAuthToken)
    actor = resolved.actor
  }
  return { app, actor, signed: true }
}
