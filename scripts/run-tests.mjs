#!/usr/bin/env node
// Node 20's `node --test` takes paths, not globs: find every *.test.ts under test/ and run them.
// Usage: node scripts/run-tests.mjs [substring-filter ...]
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { spawnSync } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname
function find(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) out.push(...find(full))
    else if (name.endsWith('.test.ts')) out.push(relative(root, full))
  }
  return out
}
const filters = process.argv.slice(2)
const files = find(join(root, 'test')).sort().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
const concurrency = process.env.RETAKE_TEST_CONCURRENCY ?? '2'
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  // The SDK's notice that its releases after January 2027 need Node 22 would repeat in every test file.
  { stdio: 'inherit', cwd: root, env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env } },
)
process.exit(result.status ?? 1)
