import type { App } from '../db/app-repository.js'
import type { NonceStore } from './nonce-store.js'
import { signatureBaseString, verifyHmacSha1, type OAuthParam } from './oauth1-signature.js'

// The one OAuth 1.0a HMAC-SHA1 verification (reference §4.1–4.4), shared by REST, upload, replace
// and the /services/oauth/* endpoints. It decides with the strict rule of RFC 5849 and names the
// problem as the OAuth Problem Reporting extension does; each endpoint maps problems to its answer
// (Flickr error codes, or `oauth_problem=` text).

export type OAuthProblemName =
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'signature_method_rejected'
  | 'version_rejected'
  | 'consumer_key_unknown'
  | 'timestamp_refused'
  | 'token_rejected'
  | 'signature_invalid'
  | 'nonce_used'

export class OAuthRejection extends Error {
  constructor(
    readonly problem: OAuthProblemName,
    /** The parameters concerned (absent or rejected ones) */
    readonly parameters: readonly string[] = [],
    /** For signature_invalid: the base string this server computed (Flickr prints it as debug_sbs) */
    readonly baseString?: string,
  ) {
    super(`oauth_problem=${problem}`)
    this.name = 'OAuthRejection'
  }
}

export const SIGNED_REQUEST_PARAMS = ['oauth_consumer_key', 'oauth_signature', 'oauth_signature_method', 'oauth_nonce', 'oauth_timestamp'] as const

export interface OAuthVerifierDeps {
  findApp(apiKey: string): Promise<App | undefined>
  nonces: NonceStore
  /** Unix seconds */
  clock(): number
  windowSeconds: number
}

export interface OAuthRequest {
  method: string
  /** The base-string URL the client used; null when the request's Host cannot be one (unverifiable) */
  baseUrl: string | null
  /** Query, Authorization header and body text fields, in arrival order */
  params: readonly OAuthParam[]
}

export interface OAuthVerifyOptions<T> {
  required: readonly string[]
  /** Looks up the token the request names; throws OAuthRejection('token_rejected') when it is not usable */
  findToken?: (app: App, token: string) => Promise<{ secret: string; value: T }>
}

export interface VerifiedOAuth<T> {
  app: App
  tokenValue: string | undefined
  token: T | undefined
  timestamp: number
}

/** Checks in Flickr's reporting order; the nonce last, so a forged request cannot use one up. */
export async function verifyOAuthRequest<T>(deps: OAuthVerifierDeps, request: OAuthRequest, options: OAuthVerifyOptions<T>): Promise<VerifiedOAuth<T>> {
  const get = protocolParams(request.params)
  const absent = options.required.filter((name) => !get(name))
  if (absent.length > 0) throw new OAuthRejection('parameter_absent', absent)
  if (get('oauth_signature_method') !== 'HMAC-SHA1') throw new OAuthRejection('signature_method_rejected')
  const version = get('oauth_version')
  if (version !== undefined && version !== '1.0') throw new OAuthRejection('version_rejected')

  const app = await deps.findApp(get('oauth_consumer_key')!)
  if (!app) throw new OAuthRejection('consumer_key_unknown')

  const timestampText = get('oauth_timestamp')!
  const timestamp = Number(timestampText)
  // Digits only: `0x1f`, ` 123` and `123e0` are numbers to JavaScript but not OAuth timestamps.
  if (!/^\d{1,12}$/.test(timestampText) || Math.abs(deps.clock() - timestamp) > deps.windowSeconds) {
    throw new OAuthRejection('timestamp_refused')
  }

  const tokenValue = get('oauth_token') || undefined
  const found = options.findToken && tokenValue ? await options.findToken(app, tokenValue) : undefined

  if (request.baseUrl === null) throw new OAuthRejection('signature_invalid')
  const baseString = signatureBaseString(request.method, request.baseUrl, request.params)
  if (!verifyHmacSha1(get('oauth_signature')!, baseString, app.secret, found?.secret ?? '')) {
    throw new OAuthRejection('signature_invalid', [], baseString)
  }
  // Scoped by token: Perl Flickr::API reuses the request_token call's nonce and timestamp on access_token.
  const fresh = await deps.nonces.checkAndRemember({ consumerKey: app.apiKey, token: tokenValue, timestamp, nonce: get('oauth_nonce')! })
  if (!fresh) throw new OAuthRejection('nonce_used')
  return { app, tokenValue, token: found?.value, timestamp }
}

/**
 * The protocol parameters as a lookup. RFC 5849 §3.1: each may appear once, wherever it is sent
 * (header, query or body); a second copy is refused rather than guessed between.
 */
function protocolParams(params: readonly OAuthParam[]): (name: string) => string | undefined {
  const values = new Map<string, string>()
  for (const [name, value] of params) {
    if (!name.startsWith('oauth_')) continue
    if (values.has(name)) throw new OAuthRejection('parameter_rejected', [name])
    values.set(name, value)
  }
  return (name) => values.get(name)
}
