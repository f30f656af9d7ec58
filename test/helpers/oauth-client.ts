import { createHmac } from 'node:crypto'
import OAuth from 'oauth-1.0a'
import { fetch, FormData, type Dispatcher } from 'undici'

/**
 * Requests signed by an independent OAuth 1.0a implementation (the oauth-1.0a package), with the
 * OAuth parameters placed where a given client puts them.
 */
export type OAuthPlacement = 'header' | 'query' | 'body' | 'multipart'

export interface SignedCallOptions {
  method: 'GET' | 'POST'
  url: string
  params: Record<string, string>
  consumer: { key: string; secret: string }
  token?: { key: string; secret: string }
  placement: OAuthPlacement
  dispatcher: Dispatcher
  /** Override parts of the OAuth data (to test bad timestamps, reused nonces) */
  oauthOverrides?: Partial<Record<'oauth_timestamp' | 'oauth_nonce', string>>
  /** Tamper with the computed signature */
  mangleSignature?: boolean
}

export function oauthSigner(consumer: { key: string; secret: string }) {
  return new OAuth({
    consumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  })
}

/** The oauth_* parameters (signature included) for a request, computed by the oauth-1.0a package. */
export function signedParams(options: Omit<SignedCallOptions, 'placement' | 'dispatcher'>): Record<string, string> {
  const oauth = oauthSigner(options.consumer)
  const oauthData: Record<string, string> = {
    oauth_consumer_key: options.consumer.key,
    oauth_nonce: options.oauthOverrides?.oauth_nonce ?? oauth.getNonce(),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: options.oauthOverrides?.oauth_timestamp ?? String(oauth.getTimeStamp()),
    oauth_version: '1.0',
    ...(options.token ? { oauth_token: options.token.key } : {}),
  }
  const signature = oauth.getSignature(
    { url: options.url, method: options.method, data: options.params },
    options.token?.secret,
    { ...oauthData } as unknown as OAuth.Data, // getSignature merges request data into this object
  )
  return { ...oauthData, oauth_signature: options.mangleSignature ? signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) : signature }
}

export async function signedCall(options: SignedCallOptions): Promise<{ status: number; body: string; headers: Headers }> {
  const oauthParams = signedParams(options)
  let url = options.url
  const init: { method: string; headers: Record<string, string>; body?: string | FormData; dispatcher: Dispatcher } = {
    method: options.method,
    headers: {},
    dispatcher: options.dispatcher,
  }
  const query = new URLSearchParams()
  const body = new URLSearchParams()
  if (options.method === 'GET' || options.placement === 'query') {
    for (const [k, v] of Object.entries(options.params)) query.append(k, v)
  } else {
    for (const [k, v] of Object.entries(options.params)) body.append(k, v)
  }
  if (options.placement === 'header') {
    init.headers.authorization = oauthSigner(options.consumer).toHeader(oauthParams as never).Authorization
  } else if (options.placement === 'query' || options.method === 'GET') {
    for (const [k, v] of Object.entries(oauthParams)) query.append(k, v)
  } else {
    for (const [k, v] of Object.entries(oauthParams)) body.append(k, v)
  }
  if (query.size > 0) url += `?${query.toString().replace(/\+/g, '%20')}`
  if (options.method === 'POST') {
    if (options.placement === 'multipart') {
      const form = new FormData()
      for (const [k, v] of body) form.append(k, v)
      init.body = form
    } else {
      init.headers['content-type'] = 'application/x-www-form-urlencoded'
      init.body = body.toString()
    }
  }
  const response = await fetch(url, init)
  return { status: response.status, body: await response.text(), headers: response.headers as unknown as Headers }
}
