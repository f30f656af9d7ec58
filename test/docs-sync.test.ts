import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { REGENERATE_COMMAND, renderApiCoverage } from '../scripts/gen-api-coverage.js'
import { createMethodRegistry } from '../src/api/index.js'
import { ENV_KEYS } from '../src/config/load.js'
import { configSchema } from '../src/config/schema.js'
import { allErrorSpecs } from '../src/errors/catalogue.js'
import { FlickrError } from '../src/errors/flickr-error.js'

// The docs in docs/ must describe what the code does: the API table is generated and compared, the
// configuration page is written by hand and checked key by key against the schema.

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

/** Rows of every markdown table whose first cell is a `backticked` key: key -> cells. */
function tableRows(markdown: string, section: string): Map<string, string[]> {
  const start = markdown.indexOf(`## ${section}`)
  assert.notEqual(start, -1, `docs/configuration.md has no "## ${section}" section`)
  const next = markdown.indexOf('\n## ', start + 3)
  const rows = new Map<string, string[]>()
  for (const line of markdown.slice(start, next === -1 ? undefined : next).split('\n')) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim())
    const key = /^`([\w.]+)`$/.exec(cells[0] ?? '')?.[1]
    if (key) rows.set(key, cells)
  }
  return rows
}

/** The first `code` span of a cell, as the doc writes a default. */
const firstCode = (cell: string | undefined) => /`([^`]*)`/.exec(cell ?? '')?.[1]
const asDocDefault = (value: unknown) => (value === null ? 'null' : String(value))

describe('docs/api-coverage.md', () => {
  it(`is what the registry generates (if not, run \`${REGENERATE_COMMAND}\`)`, () => {
    const committed = read('docs/api-coverage.md')
    // Name the methods that differ before the full text comparison, so the failure says what changed.
    const listed = new Set([...committed.matchAll(/^\| `(flickr\.[\w.]+)` \|/gm)].map((m) => m[1]))
    const served = new Set(createMethodRegistry().all().map((method) => method.name))
    const missing = [...served].filter((name) => !listed.has(name))
    const extra = [...listed].filter((name) => !served.has(name!))
    const hint = `docs/api-coverage.md is stale: run \`${REGENERATE_COMMAND}\` and commit the result`
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, hint)
    assert.ok(committed === renderApiCoverage(), hint)
  })
})

describe('docs/configuration.md', () => {
  const doc = read('docs/configuration.md')
  const keys = tableRows(doc, 'Keys')
  const plans = tableRows(doc, 'Plans')
  const defaults = configSchema.parse({})
  const envOf = new Map(Object.entries(ENV_KEYS).map(([name, key]) => [key as string, name]))

  it('lists every schema key, and no other', () => {
    const schemaKeys = Object.keys(configSchema.shape)
    const undocumented = schemaKeys.filter((key) => !keys.has(key))
    const stale = [...keys.keys()].filter((key) => !schemaKeys.includes(key))
    assert.deepEqual(
      { undocumented, stale },
      { undocumented: [], stale: [] },
      'docs/configuration.md and src/config/schema.ts disagree: add a "## Keys" row (type, default, RETAKE_* variable, description) for each undocumented key, drop stale ones',
    )
  })

  it('gives each key its default and its environment variable', () => {
    for (const [key, cells] of keys) {
      const [, , defaultCell, envCell, description] = cells
      assert.ok(description, `${key}: no description`)
      assert.equal(firstCode(envCell) ?? '—', envOf.get(key) ?? '—', `${key}: environment variable (src/config/load.ts ENV_KEYS)`)
      const value = defaults[key as keyof typeof defaults]
      if (typeof value === 'object' && value !== null) continue // documented in its own table
      assert.equal(firstCode(defaultCell), asDocDefault(value), `${key}: default`)
    }
    for (const name of Object.keys(ENV_KEYS)) assert.ok(doc.includes(`\`${name}\``), `${name} is not documented`)
  })

  it('lists every plan key with both defaults, and no other', () => {
    const planShape = configSchema.shape.plans.unwrap().shape.free.shape
    assert.deepEqual([...plans.keys()].sort(), Object.keys(planShape).sort(), 'the Plans table and the plan schema disagree')
    for (const [key, cells] of plans) {
      const field = key as keyof typeof defaults.plans.free
      assert.equal(firstCode(cells[2]), asDocDefault(defaults.plans.free[field]), `plans.free.${key}: default`)
      assert.equal(firstCode(cells[3]), asDocDefault(defaults.plans.pro[field]), `plans.pro.${key}: default`)
    }
  })
})

describe('the error catalogue (src/errors/catalogue.ts)', () => {
  const sources = (readdirSync(new URL('../src', import.meta.url), { recursive: true }) as string[])
    .filter((path) => path.endsWith('.ts') && !path.startsWith('errors'))
    .map((path) => ({ path, text: read(`src/${path}`) }))

  it('is the only place codes and messages are written: code raises catalogue specs', () => {
    const inline = sources.flatMap(({ path, text }) =>
      [...text.matchAll(/new FlickrError\(\s*[\d'"`{]|\{\s*code:\s*\d+,\s*message:/g)].map((m) => `${path}: ${m[0]}`),
    )
    assert.deepEqual(inline, [], 'raise `new FlickrError(<catalogue spec>)`; add new codes to src/errors/catalogue.ts')
  })

  it('refuses, at run time, an error that is not in it', () => {
    assert.throws(() => new FlickrError({ code: 999, message: 'made up' }), /not in src\/errors\/catalogue.ts/)
  })

  it('has every spec in docs/api-coverage.md', () => {
    const doc = read('docs/api-coverage.md')
    const cell = (text: string) => text.replace(/\|/g, '\\|')
    const missing = allErrorSpecs().filter((spec) => !doc.includes(`| ${spec.code} | ${cell(spec.message)} |`))
    assert.deepEqual(missing, [])
  })
})
