import type { Config } from '../config/schema.js'
import { startServer } from '../server.js'
import { serveLogStream } from './log-output.js'

/**
 * `retake serve`: prints one line per listener URL once ready (real ports, also for port 0), logs on
 * stderr; SIGTERM/SIGINT drain and exit 0.
 */
export async function runServe(config: Config): Promise<void> {
  const server = await startServer(config, { logStream: serveLogStream(config.logFormat) }).catch((error: unknown) => {
    throw explainListenError(error)
  })
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

/** `--drop-in` listens on 443 and 80 by default: say what to do when the process may not bind them. */
function explainListenError(error: unknown): unknown {
  const failed = error as NodeJS.ErrnoException & { port?: number }
  if (failed?.code !== 'EACCES' || failed.port === undefined || failed.port >= 1024) return error
  return new Error(`${failed.message}: ports below 1024 need root or CAP_NET_BIND_SERVICE (or choose --https-port/--http-port)`)
}
