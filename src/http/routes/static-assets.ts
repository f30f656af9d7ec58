import { readFileSync, readdirSync } from 'node:fs'
import { extname } from 'node:path'
import type { FastifyInstance } from 'fastify'

// The pages' own CSS and JS, served by Retake from src/http/static/ (no CDN, no inline code, so the
// pages' CSP can say script-src 'self' and style-src 'self'). The folder is read once at start-up:
// only the files that exist then are served, and no request path ever reaches the filesystem.

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
}

const folder = new URL('../static/', import.meta.url)

function loadAssets(): Map<string, { body: Buffer; type: string }> {
  const assets = new Map<string, { body: Buffer; type: string }>()
  for (const name of readdirSync(folder)) {
    const type = TYPES[extname(name)]
    if (type) assets.set(name, { body: readFileSync(new URL(name, folder)), type })
  }
  return assets
}

/** GET /static/{file}: the bundled assets, cached briefly (they change only with a new release). */
export function registerStaticAssets(scope: FastifyInstance): void {
  const assets = loadAssets()
  scope.get('/static/:file', (request, reply) => {
    const asset = assets.get((request.params as { file: string }).file)
    if (!asset) return reply.callNotFound()
    return reply
      .type(asset.type)
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(asset.body)
  })
}
