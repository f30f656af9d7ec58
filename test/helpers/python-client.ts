import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync } from 'node:fs'

/** The interpreter Debian's python3-flickrapi is installed for; the `python3` on PATH may be another. */
export const PYTHON = '/usr/bin/python3'

const execFileAsync = promisify(execFile)

/**
 * Why the python client cannot run here, or undefined when it can (for `describe(…, { skip })`).
 * Under CI a missing client fails the run instead of silently skipping it.
 */
export function pythonClientMissing(): string | undefined {
  let missing: string | undefined
  if (!existsSync(PYTHON)) missing = `${PYTHON} not found`
  else {
    const probe = spawnSync(PYTHON, ['-c', 'import flickrapi'], { encoding: 'utf8' })
    if (probe.status !== 0) missing = `python3-flickrapi not importable by ${PYTHON}: ${probe.stderr.trim()}`
  }
  if (missing && process.env.CI) throw new Error(`CI is set and the python client is unavailable: ${missing}`)
  return missing
}

export type DriverResult = Record<string, unknown> & { ok: boolean }

export interface DriverRun {
  driver: string
  server: { url: string; caFile: string }
  app: { apiKey: string; secret: string }
  token: readonly [token: string, secret: string]
  ops: ReadonlyArray<Record<string, unknown>>
  /** Restore Element.getchildren (gone since Python 3.9), which flickrapi's walk_* call */
  getchildren?: boolean
}

/**
 * Runs an ops driver under test/clients/drivers/ with a clean environment: one JSON line per op comes
 * back, one per op sent.
 */
export async function runDriverOps(run: DriverRun): Promise<DriverResult[]> {
  const { stdout } = await execFileAsync(PYTHON, [run.driver], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: '/nonexistent',
      BASE_URL: run.server.url,
      CA_FILE: run.server.caFile,
      API_KEY: run.app.apiKey,
      API_SECRET: run.app.secret,
      OAUTH_TOKEN: run.token[0],
      OAUTH_TOKEN_SECRET: run.token[1],
      OPS: JSON.stringify(run.ops),
      ETREE_GETCHILDREN: run.getchildren === false ? '0' : '1',
    },
    timeout: 120_000,
  })
  const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as DriverResult)
  assert.equal(results.length, run.ops.length, stdout)
  return results
}

/** A driver result that must have succeeded. */
export function driverOk(result: DriverResult | undefined): DriverResult {
  assert.ok(result?.ok, `client error: ${JSON.stringify(result)}`)
  return result!
}
