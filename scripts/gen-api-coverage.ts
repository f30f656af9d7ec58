// Prints docs/api-coverage.md from the method registry, so the doc cannot drift from what is served.
// Usage: node --import tsx scripts/gen-api-coverage.ts > docs/api-coverage.md
// test/docs-sync.test.ts regenerates it and fails when the committed file differs.
import { pathToFileURL } from 'node:url'
import { createMethodRegistry } from '../src/api/index.js'
import { PERM_RANK, type FlickrMethod } from '../src/api/registry.js'
import { endpointErrors, methodErrors, standardErrors, uploadErrors, type ErrorSpec } from '../src/errors/catalogue.js'

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
  const own = method.errors.filter((error) => !Object.values(standardErrors).includes(error)).map((error) => `${error.code} ${error.message}`)
  return [...own, 'standard'].join('; ')
}

function notes(method: FlickrMethod): string {
  const parts = [method.description]
  if (method.writes) parts.push('Writes: refused with 105 in maintenance mode.')
  return parts.join(' ')
}

export function renderApiCoverage(): string {
  const out: string[] = []
  const line = (text = '') => out.push(text)
  line('# API coverage')
  line()
  line('<!-- Generated from the method registry (src/api/index.ts) and the error catalogue (src/errors/catalogue.ts). Do not edit by hand: -->')
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
  line('| Code | Message | Notes |')
  line('| --- | --- | --- |')
  for (const error of Object.values(standardErrors)) line(`| ${error.code} | ${cell(error.message)} | ${cell(error.note ?? '')} |`)
  line()
  line('### Method-specific errors')
  line()
  line('| Code | Message | Notes |')
  line('| --- | --- | --- |')
  for (const error of Object.values(methodErrors)) line(`| ${error.code} | ${cell(error.message)} | ${cell(error.note ?? '')} |`)
  renderPhotoEndpoints(line)
  return out.join('\n')
}

function renderPhotoEndpoints(line: (text?: string) => void): void {
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
  const answeredBy = (list: readonly ErrorSpec[], error: ErrorSpec) => (list.includes(error) ? 'yes' : '—')
  for (const error of Object.values(uploadErrors)) {
    line(`| ${error.code} | ${cell(error.message)} | ${answeredBy(endpointErrors.upload, error)} | ${answeredBy(endpointErrors.replace, error)} | ${cell(error.note ?? '')} |`)
  }
  for (const error of endpointErrors.photoEndpointsStandard) line(`| ${error.code} | ${cell(error.message)} | yes | yes | ${cell(error.note ?? '')} |`)
  line()
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(renderApiCoverage())
}
