import type { Config } from '../config/schema.js'
import { startServer } from '../server.js'

/** `retake serve`: prints one line per listener URL once ready; SIGTERM/SIGINT drain and exit 0. */
export async function runServe(config: Config): Promise<void> {
  const server = await startServer(config)
  process.stdout.write(`${server.httpsUrl}\n`)
  if (server.httpUrl) process.stdout.write(`${server.httpUrl}\n`)
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    try {
      await server.close()
      process.exit(0)
    } catch (error) {
      process.stderr.write(`retake: shutdown failed: ${(error as Error).message}\n`)
      process.exit(1)
    }
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
