// Runs the benches one after another, each in its own process with its default arguments.
// Run: npm run bench [-- name ...]   e.g. `npm run bench -- replace async`; no names = all of them.
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'

const ALL = ['sizes', 'probe', 'rest', 'replace', 'async', 'albums', 'search']
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL
const unknown = names.filter((name) => !ALL.includes(name))
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; known: ${ALL.join(', ')}`)
  process.exit(2)
}

let failed = 0
for (const name of names) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url))
  console.log(`\n=== bench/${name}.ts  (load ${loadavg().map((n) => n.toFixed(2)).join(' ')})`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' })
  if (result.status !== 0) {
    failed++
    console.log(`bench/${name}.ts exited with ${result.status ?? result.signal}`)
  }
}
process.exit(failed > 0 ? 1 : 0)
