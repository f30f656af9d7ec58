import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { parseAuthorizationHeader, percentEncode } from '../auth/oauth1-signature.js'
import { OAuthRejection, SIGNED_REQUEST_PARAMS, verifyOAuthRequest } from '../auth/oauth-verifier.js'
import type { App } from '../db/app-repository.js'
import type { Services } from '../services.js'
import type { ParamList } from './flickr-auth.js'
import { bodyParams, queryParams, requestBaseUrl } from './request-params.js'

// The plumbing of /services/oauth/request_token and /access_token: gathering parameters, the shared
// verifier, and answers. Failures answer HTTP 401, text/plain;charset=UTF-8,
// `oauth_problem=<name>[&detail]` (reference §4.4). Names are Flickr's where observed, else those of
// the OAuth Problem Reporting extension:
//   parameter_absent&oauth_parameters_absent=a%26b   required parameters missing (Flickr's order)
//   parameter_rejected&oauth_parameters_rejected=x   duplicated oauth_* parameter, bad header or body, bad callback
//   signature_method_rejected                        anything but HMAC-SHA1 (Flickr supports only that)
//   version_rejected                                 oauth_version present and not 1.0
//   consumer_key_unknown                             no such API key
//   timestamp_refused&oauth_acceptable_timestamps=a-b  not digits, or outside the configured window
//   token_rejected                                   request token unknown, expired, of another app or used
//   signature_invalid[&debug_sbs=<base string>]      wrong signature (the base string raw, as Flickr prints
//                                                    it), or a Host header no signature can be checked against
//   nonce_used                                       same consumer, token, timestamp and nonce seen before
//   permission_unknown                               access_token before the user approved
//   verifier_invalid                                 oauth_verifier does not match
//   permission_denied                                the approving account no longer exists

export const REQUEST_TOKEN_REQUIRED = [...SIGNED_REQUEST_PARAMS, 'oauth_callback']
export const ACCESS_TOKEN_REQUIRED = [...SIGNED_REQUEST_PARAMS, 'oauth_token', 'oauth_verifier']

export class OAuthProblem extends Error {
  constructor(
    readonly problem: string,
    readonly details: ReadonlyArray<readonly [string, string]> = [],
    readonly rawDetail?: string,
  ) {
    super(`oauth_problem=${problem}`)
    this.name = 'OAuthProblem'
  }

  get body(): string {
    let body = `oauth_problem=${this.problem}`
    for (const [name, value] of this.details) body += `&${name}=${percentEncode(value)}`
    return this.rawDetail === undefined ? body : `${body}&${this.rawDetail}`
  }
}

/** Every failure in this scope as oauth_problem text: a body that could not be read is the client's. */
export function setOAuthErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((error, request, reply) => {
    let problem: OAuthProblem
    let status = 401
    const status4xx = (error as { statusCode?: number }).statusCode
    if (error instanceof OAuthProblem) problem = error
    else if (status4xx !== undefined && status4xx >= 400 && status4xx < 500) {
      problem = new OAuthProblem('parameter_rejected', [['oauth_parameters_rejected', 'body']])
    } else {
      request.log.error({ err: error }, 'OAuth endpoint failed')
      problem = new OAuthProblem('internal_error')
      status = 500
    }
    return reply.code(status).type('text/plain;charset=UTF-8').send(problem.body)
  })
}

export type TokenStep = (services: Services, request: FastifyRequest, params: ParamList) => Promise<ParamList>

export function tokenEndpoint(services: Services, step: TokenStep) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = await step(services, request, await gatherParams(request))
    // Success bodies are form-encoded too; clients (flickrapi, flickr-sdk) read them whatever the type.
    const body = answer.map(([name, value]) => `${name}=${percentEncode(value)}`).join('&')
    return reply.code(200).type('text/plain;charset=UTF-8').header('cache-control', 'no-store').send(body)
  }
}

/** Query, Authorization header (realm dropped) and urlencoded/multipart body, as RFC 5849 §3.4.1.3 lists. */
async function gatherParams(request: FastifyRequest): Promise<ParamList> {
  let header: ParamList
  try {
    header = parseAuthorizationHeader(request.headers.authorization) ?? []
  } catch {
    throw new OAuthProblem('parameter_rejected', [['oauth_parameters_rejected', 'Authorization']])
  }
  return [...queryParams(request), ...header, ...(await bodyParams(request))]
}

/** The shared verification with this endpoint's token lookup; rejections become oauth_problem answers. */
export async function authenticate<T extends { secret: string }>(
  services: Services,
  request: FastifyRequest,
  params: ParamList,
  required: readonly string[],
  findToken?: (app: App, token: string) => Promise<T>,
): Promise<{ app: App; token: T | undefined }> {
  try {
    const deps = { findApp: (key: string) => services.apps.byKey(key), nonces: services.nonces, clock: services.clock, windowSeconds: services.config.oauthTimestampWindowSeconds }
    const lookup = findToken && (async (app: App, value: string) => {
      const token = await findToken(app, value)
      return { secret: token.secret, value: token }
    })
    const verified = await verifyOAuthRequest(deps, { method: request.method, baseUrl: requestBaseUrl(request), params }, { required, findToken: lookup })
    return { app: verified.app, token: verified.token }
  } catch (error) {
    throw error instanceof OAuthRejection ? problemFor(error, services) : error
  }
}

/** The shared verifier's rejection in this endpoint's words, with the details Flickr adds. */
function problemFor(rejection: OAuthRejection, services: Services): OAuthProblem {
  switch (rejection.problem) {
    case 'parameter_absent':
      return new OAuthProblem('parameter_absent', [['oauth_parameters_absent', rejection.parameters.join('&')]])
    case 'parameter_rejected':
      return new OAuthProblem('parameter_rejected', [['oauth_parameters_rejected', rejection.parameters.join('&')]])
    case 'timestamp_refused': {
      const now = services.clock()
      const window = services.config.oauthTimestampWindowSeconds
      return new OAuthProblem('timestamp_refused', [['oauth_acceptable_timestamps', `${now - window}-${now + window}`]])
    }
    case 'signature_invalid':
      return new OAuthProblem('signature_invalid', [], rejection.baseString === undefined ? undefined : `debug_sbs=${rejection.baseString}`)
    default:
      return new OAuthProblem(rejection.problem)
  }
}
