import { verifyApiSig } from '../auth/api-sig.js'
import { parseAuthorizationHeader, signatureBaseString, verifyHmacSha1 } from '../auth/oauth1-signature.js'
import type { Actor } from '../api/registry.js'
import type { App } from '../db/app-repository.js'
import { globalErrors } from '../errors/global-errors.js'
import type { Services } from '../services.js'

export type ParamList = Array<[string, string]>

export interface SignedRequest {
  /** HTTP method as sent (GET/POST) */
  method: string
  /** The URL the client used, without query: scheme://host[:port]/path (OAuth base-string URL) */
  baseUrl: string
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

const OAUTH_MARKERS = new Set(['oauth_consumer_key', 'oauth_signature', 'oauth_signature_method'])

/**
 * Resolves who is calling from OAuth 1.0a (header, query or body) or legacy api_key/auth_token/api_sig.
 * Throws the Flickr error the REST, upload and replace endpoints answer with (96, 97, 98, 100).
 */
export async function authenticateCall(services: Services, request: SignedRequest): Promise<CallCredentials> {
  let headerParams: ParamList
  try {
    headerParams = parseAuthorizationHeader(request.authorization) ?? []
  } catch {
    throw globalErrors.invalidSignature()
  }
  const params: ParamList = [...request.params, ...headerParams]
  if (params.some(([name]) => OAUTH_MARKERS.has(name))) {
    return { ...(await authenticateOAuth(services, request, params)), params }
  }
  return { ...(await authenticateLegacy(services, params)), params }
}

function first(params: ParamList, name: string): string | undefined {
  return params.find(([key]) => key === name)?.[1]
}

async function authenticateOAuth(services: Services, request: SignedRequest, params: ParamList) {
  const consumerKey = first(params, 'oauth_consumer_key')
  const app = consumerKey ? await services.credentials.app(consumerKey) : undefined
  if (!app) throw globalErrors.invalidApiKey()
  const signature = first(params, 'oauth_signature')
  if (!signature) throw globalErrors.missingSignature()

  const tokenValue = first(params, 'oauth_token')
  let actor: Actor | null = null
  let tokenSecret = ''
  if (tokenValue) {
    const token = await services.credentials.accessToken(tokenValue)
    if (!token || token.kind !== 'oauth' || token.apiKey !== app.apiKey) throw globalErrors.invalidAuthToken()
    const user = await services.credentials.account(token.userNsid)
    if (!user) throw globalErrors.invalidAuthToken()
    actor = { user, perms: token.perms, token: token.token, tokenKind: 'oauth' }
    tokenSecret = token.secret ?? ''
  }

  if (first(params, 'oauth_signature_method') !== 'HMAC-SHA1') throw globalErrors.invalidSignature()
  const timestamp = Number(first(params, 'oauth_timestamp'))
  const nonce = first(params, 'oauth_nonce')
  if (!Number.isInteger(timestamp) || !nonce) throw globalErrors.invalidSignature()
  if (Math.abs(services.clock() - timestamp) > services.config.oauthTimestampWindowSeconds) throw globalErrors.invalidSignature()

  const baseString = signatureBaseString(request.method, request.baseUrl, params)
  if (!verifyHmacSha1(signature, baseString, app.secret, tokenSecret)) throw globalErrors.invalidSignature()
  // Only a verified request may use up a nonce, so forgeries cannot block a client's next call.
  if (!(await services.nonces.checkAndRemember({ consumerKey: app.apiKey, token: tokenValue, timestamp, nonce }))) {
    throw globalErrors.invalidSignature()
  }
  return { app, actor, signed: true }
}

async function authenticateLegacy(services: Services, params: ParamList) {
  const apiKey = first(params, 'api_key')
  if (!apiKey) return { app: null, actor: null, signed: false }
  const app = await services.credentials.app(apiKey)
  if (!app) throw globalErrors.invalidApiKey()
  const apiSig = first(params, 'api_sig')
  const authToken = first(params, 'auth_token')
  if (!apiSig) {
    // Calls carrying a token must be signed (Flickr auth spec).
    if (authToken) throw globalErrors.missingSignature()
    return { app, actor: null, signed: false }
  }
  if (!verifyApiSig(app.secret, params, apiSig)) throw globalErrors.invalidSignature()
  let actor: Actor | null = null
  if (authToken) {
    const token = await services.credentials.accessToken(authToken)
    if (!token || token.kind !== 'legacy' || token.apiKey !== app.apiKey) throw globalErrors.invalidAuthToken()
    const user = await services.credentials.account(token.userNsid)
    if (!user) throw globalErrors.invalidAuthToken()
    actor = { user, perms: token.perms, token: token.token, tokenKind: 'legacy' }
  }
  return { app, actor, signed: true }
}
