#!/usr/bin/env node
// Drives npm's flickr-sdk 7 (unmodified) against a Retake server and prints one JSON line:
//   {"ok":true,"result":…}  or  {"ok":false,"message":"…","code":N|null,…}
//
// Settings (environment): BASE_URL (https://127.0.0.1:PORT), CA_FILE (PEM to trust), API_KEY, API_SECRET,
// OAUTH_TOKEN, OAUTH_TOKEN_SECRET, MODE=login|uploadStatus|call|checkTickets|upload|replace,
// METHOD and PARAMS (JSON object) for MODE=call, PARAMS also adds upload fields, TICKETS for
// checkTickets, FILE for upload/replace, PHOTO_ID for replace, TITLE for upload.
// FLICKRSDK_SIGN_URL=flickr signs the flickr.com URL, as a transport-only rewrite would (expect 96).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { APIKeyAuth, createFlickr, FetchTransport, OAuthAuth } from 'flickr-sdk'

const env = process.env

function required(name) {
  const value = env[name]
  if (!value) {
    process.stderr.write(`flickr-sdk-driver: ${name} is required\n`)
    process.exit(2)
  }
  return value
}

/** The SDK hard-codes api./up./www.flickr.com; keep the path, swap the origin for Retake's. */
function rebase(url) {
  const base = new URL(required('BASE_URL'))
  const target = new URL(url)
  if (!/(^|\.)flickr\.com$/.test(target.hostname)) return url
  target.protocol = base.protocol
  target.host = base.host
  return target.href
}

/** The public Transport seam: swaps the origin and keeps the raw body (upload errors hide their code). */
class RetakeTransport extends FetchTransport {
  lastBody = null
  lastStatus = null

  async fetch(url, init) {
    try {
      const response = await super.fetch(rebase(url), init)
      this.lastStatus = response.status
      this.lastBody = await response.clone().text()
      return response
    } catch (error) {
      if (error?.cause instanceof globalThis.Response) this.lastStatus = error.cause.status
      throw error
    }
  }
}

/** Services sign the flickr.com URL before the transport sees it; sign the URL actually requested. */
class RetakeOAuth extends OAuthAuth {
  sign(method, url, params) {
    return super.sign(method, env.FLICKRSDK_SIGN_URL === 'flickr' ? url : rebase(url), params)
  }
}

function auth() {
  const key = required('API_KEY')
  if (env.OAUTH_TOKEN) return new RetakeOAuth(key, required('API_SECRET'), env.OAUTH_TOKEN, required('OAUTH_TOKEN_SECRET'))
  if (env.API_SECRET) return new RetakeOAuth(key, env.API_SECRET, false, false) // two-legged
  return new APIKeyAuth(key)
}

function extraParams() {
  return env.PARAMS ? JSON.parse(env.PARAMS) : {}
}

async function main() {
  const transport = new RetakeTransport()
  const { flickr, upload, replace } = createFlickr(auth(), transport)
  const mode = env.MODE ?? 'login'
  const photoMode = mode === 'upload' || mode === 'replace'
  let out
  try {
    let result
    if (mode === 'login') result = await flickr('flickr.test.login', {})
    else if (mode === 'uploadStatus') result = await flickr('flickr.people.getUploadStatus', {})
    else if (mode === 'call') result = await flickr(required('METHOD'), extraParams())
    else if (mode === 'checkTickets') result = await flickr('flickr.photos.upload.checkTickets', { tickets: env.TICKETS ?? extraParams().tickets ?? '' })
    else if (mode === 'upload') result = await upload(required('FILE'), { ...(env.TITLE ? { title: env.TITLE } : {}), ...extraParams() })
    else if (mode === 'replace') result = await replace(required('PHOTO_ID'), required('FILE'))
    else {
      process.stderr.write(`flickr-sdk-driver: unknown MODE ${mode}\n`)
      process.exit(2)
    }
    out = { ok: true, result }
  } catch (error) {
    out = { ok: false, message: error instanceof Error ? error.message : String(error), code: null, status: transport.lastStatus }
    if (photoMode) {
      // UploadService throws Error(err.msg) only; the code is in the body the transport kept.
      const match = /<err code="(\d+)"/.exec(transport.lastBody ?? '')
      if (match) Object.assign(out, { code: Number(match[1]), code_source: 'raw-response' })
    } else if (error?.cause && typeof error.cause.code === 'number') {
      out.code = error.cause.code
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

// Node's fetch reads NODE_EXTRA_CA_CERTS only at start-up: run again with it rather than ever
// switching certificate checks off.
if (env.CA_FILE && env.NODE_EXTRA_CA_CERTS !== env.CA_FILE) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...env, NODE_EXTRA_CA_CERTS: env.CA_FILE }, stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 1))
} else {
  await main()
}
