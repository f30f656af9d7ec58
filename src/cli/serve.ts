import type { Config } from '../config/schema.js'
import { startServer } from '../server.js'
import { serveLogStream } from './log-output.js'

/**
 * `retake serve`: prints one line per listener URL once ready (real ports, also for port 0), logs on
 * stderr; SIGTERM/SIGINT drain and exit 0.
 */
export async function runServe(config: Config): Promise<void> {
  const server = await startServer(config, { logStream: serveLogStream(config.logFormat) })
  const urls = server.httpUrl ? [server.httpsUrl, server.httpUrl] : [server.httpsUrl]
  process.stdout.write(`${urls.join('\n')}\n`)
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
