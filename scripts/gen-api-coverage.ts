// Prints docs/api-coverage.md from the method registry, so the doc cannot drift from what is served.
// Usage: node --import tsx scripts/gen-api-coverage.ts > docs/api-coverage.md
// test/docs-sync.test.ts regenerates it and fails when the committed file differs.
import { pathToFileURL } from 'node:url'
import { createMethodRegistry } from '../src/api/index.js'
import { PERM_RANK, STANDARD_ERRORS, type FlickrMethod } from '../src/api/registry.js'
import { photoErrors } from '../src/domain/photos/photo-errors.js'
import { globalErrors } from '../src/errors/global-errors.js'

export const REGENERATE_COMMAND = 'node --import tsx scripts/gen-api-coverage.ts > docs/api-coverage.md'

// Markdown table cells: a pipe would split the cell, a newline would end the row.
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function signing(method: FlickrMethod): string {
  // Flickr's reflection marks every method that needs a user as needing a signature too.
  return method.needsSigning || PERM_RANK[method.perms] > 0 ? 'required' : 'no'
}

function args(method: FlickrMethod): string {
  return method.args.map((arg) => `\`${arg.name}\`${arg.required ? '' : ' (optional)'}`).join(', ') || '—'
}

function errors(method: FlickrMethod): string {
  const own = method.errors.map((error) => `${error.code} ${error.message}`)
  return [...own, 'standard'].join('; ')
}

function notes(method: FlickrMethod): string {
  const parts = [method.description]
  if (method.writes) parts.push('Writes: refused with 105 in maintenance mode.')
  return parts.join(' ')
}

/** Upload/replace codes: which endpoint can answer each, and why where Retake had to choose. */
const PHOTO_CODES: Array<{ error: () => { code: number; message: string }; upload: boolean; replace: boolean; note: string }> = [
  { error: photoErrors.notPro, upload: false, replace: true, note: 'Replace is for pro accounts (Flickr documents this code).' },
  { error: photoErrors.noPhoto, upload: true, replace: true, note: 'No part with a filename named `photo`.' },
  { error: photoErrors.generalFailure, upload: true, replace: true, note: 'The body could not be read, the image is corrupt or has too many pixels, or processing failed unexpectedly; nothing is changed.' },
  { error: photoErrors.zeroBytes, upload: true, replace: true, note: '' },
  { error: photoErrors.notRecognised, upload: true, replace: true, note: 'Decided from the content, never the file name or Content-Type.' },
  { error: photoErrors.limitReached, upload: true, replace: true, note: 'Plan limits: file size, monthly bytes, photo count, non-public count.' },
  {
    error: photoErrors.photoNotFound,
    upload: false,
    replace: true,
    note: "Retake's own choice: Flickr documents no code for replacing a missing photo or someone else's (its code 1 is taken by \"Not a pro account\").",
  },
  { error: photoErrors.videoNotReplaceable, upload: false, replace: true, note: "Flickr's wording, as seen in the wild." },
]

const GLOBAL_PHOTO_CODES: Array<{ error: () => { code: number; message: string }; note: string }> = [
  { error: globalErrors.sslRequired, note: 'Plain-HTTP listener.' },
  { error: globalErrors.invalidSignature, note: 'OAuth or api_sig; also an oauth_timestamp outside the window or a reused nonce.' },
  { error: globalErrors.missingSignature, note: '' },
  { error: globalErrors.invalidAuthToken, note: '' },
  { error: globalErrors.insufficientPermissions, note: '"read granted" for a read token.' },
  { error: globalErrors.invalidApiKey, note: '' },
  { error: globalErrors.serviceUnavailable, note: 'Maintenance mode (writes refused), or no processing slot freed up in time.' },
  { error: globalErrors.writeFailed, note: 'Listed by Flickr; Retake does not send it at present.' },
  { error: globalErrors.badUrl, note: 'A field holds a URL on a blocklisted host or a subdomain of one.' },
]

export function renderApiCoverage(): string {
  const out: string[] = []
  const line = (text = '') => out.push(text)
  line('# API coverage')
  line()
  line('<!-- Generated from the method registry (src/api/index.ts). Do not edit by hand: -->')
  line(`<!-- ${REGENERATE_COMMAND} -->`)
  line()
  line('## REST methods (`/services/rest`, with or without the trailing slash)')
  line()
  line('GET or POST (query, urlencoded or multipart body). Responses: REST XML (default), `format=json` (JSONP `jsonFlickrApi(…)`,')
  line('`jsoncallback=name`, or bare JSON with `nojsoncallback=1`). Perms: the token permission the method needs (`none`: no user).')
  line('Errors lists each method\'s own codes; "standard" is the list below.')
  line()
  line('| Method | Perms | Signing | Arguments | Errors | Notes |')
  line('| --- | --- | --- | --- | --- | --- |')
  for (const method of createMethodRegistry().all()) {
    line(`| \`${method.name}\` | ${method.perms} | ${signing(method)} | ${cell(args(method))} | ${cell(errors(method))} | ${cell(notes(method))} |`)
  }
  line()
  line('### Standard errors (every REST method)')
  line()
  line('| Code | Message |')
  line('| --- | --- |')
  for (const error of STANDARD_ERRORS) line(`| ${error.code} | ${cell(error.message)} |`)
  line()
  line('## Upload and replace')
  line()
  line('| Endpoint | Fields (all but `photo` are signed) | Success |')
  line('| --- | --- | --- |')
  line('| `POST /services/upload` (or `/services/upload/`) | `photo`, `title`, `description`, `tags`, `is_public`, `is_friend`, `is_family`, `safety_level`, `content_type`, `hidden` | `<photoid>ID</photoid>` |')
  line('| `POST /services/replace` (or `/services/replace/`) | `photo`, `photo_id` | `<photoid secret="…" originalsecret="…">ID</photoid>` |')
  line()
  line('Multipart only, write permission, and always XML whatever `format` says. Errors:')
  line()
  line('| Code | Message | Upload | Replace | Notes |')
  line('| --- | --- | --- | --- | --- |')
  for (const entry of PHOTO_CODES) {
    const error = entry.error()
    line(`| ${error.code} | ${cell(error.message)} | ${entry.upload ? 'yes' : '—'} | ${entry.replace ? 'yes' : '—'} | ${cell(entry.note)} |`)
  }
  for (const entry of GLOBAL_PHOTO_CODES) {
    const error = entry.error()
    line(`| ${error.code} | ${cell(error.message)} | yes | yes | ${cell(entry.note)} |`)
  }
  line()
  return out.join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(renderApiCoverage())
}
