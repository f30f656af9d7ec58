import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { PYTHON } from './python-client.js'
import type { TestServer } from './start-server.js'

const REVOKE_DRIVER = fileURLToPath(new URL('../clients/drivers/flickrapi_revoke_driver.py', import.meta.url))

export interface LineDriver {
  /** The next JSON line the driver printed */
  next(): Promise<Record<string, unknown>>
  send(line: string): void
  stop(): void
}

/** python flickrapi's dance-then-call driver against the server, with a throwaway HOME. */
export function startRevokeDriver(server: TestServer, apiKey: string, secret: string): LineDriver {
  const home = mkdtempSync(join(tmpdir(), 'retake-flickrapi-home-'))
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', BASE_URL: server.url, API_KEY: apiKey, API_SECRET: secret, CA_FILE: server.caFile, PERMS: 'write', HOME: home }
  const child = spawn(PYTHON, [REVOKE_DRIVER], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return {
    async next() {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`driver timed out; stderr:\n${stderr}`)), 30_000)
      })
      try {
        const line = await Promise.race([lines.next(), timeout])
        if (line.done) throw new Error(`driver ended early; stderr:\n${stderr}`)
        return JSON.parse(line.value) as Record<string, unknown>
      } finally {
        clearTimeout(timer)
      }
    },
    send: (line) => void child.stdin.write(`${line}\n`),
    stop() {
      if (child.exitCode === null) child.kill()
      rmSync(home, { recursive: true, force: true })
    },
  }
}
