import { fileURLToPath } from 'node:url'
import { Eta } from 'eta'
import { escapeHtml } from '../auth-pages.js'

// Every page is an Eta template under this folder, rendered with escaping on by default: `<%= %>`
// escapes, and `<%~ %>` (raw) is only used for the layout's body, which is itself rendered template
// output. The escape function is the same one the old string-built pages used (numeric entities), so
// what pages show did not change when they moved onto templates.

const eta = new Eta({
  views: fileURLToPath(new URL('.', import.meta.url)),
  autoEscape: true,
  escapeFunction: (value: unknown) => escapeHtml(value === undefined || value === null ? '' : String(value)),
  // Templates are read once per process; they ship with the code and never change under it.
  cache: true,
  autoTrim: false,
})

/** Renders `views/<name>.eta` with `data` as `it`. */
export function renderView(name: string, data: object): string {
  return eta.render(`./${name}`, data)
}
