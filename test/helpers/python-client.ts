import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** The interpreter Debian's python3-flickrapi is installed for; the `python3` on PATH may be another. */
export const PYTHON = '/usr/bin/python3'

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
