import { Writable } from 'node:stream'
import { prettyFactory } from 'pino-pretty'
import type { Config } from '../config/schema.js'

export type LogFormat = 'json' | 'pretty'

/**
 * `auto` is decided by stderr because that is where the log lines go: `retake serve 2>log.jsonl` on a
 * terminal still writes JSON, and `retake serve | read url` (stdout to a script) still shows people
 * readable lines.
 */
export function chooseLogFormat(setting: Config['logFormat'], stderrIsTerminal: boolean): LogFormat {
  if (setting !== 'auto') return setting
  return stderrIsTerminal ? 'pretty' : 'json'
}

/**
 * A stream for pino that renders each JSON line as one human-readable line on `out`. pino redacts
 * before it writes, so the lines it hands over hold no secrets already. Rendered synchronously, so a
 * shutdown that ends in process.exit loses no line (pino-pretty's own stream is asynchronous).
 */
export function prettyLogStream(out: NodeJS.WritableStream, options: { colorize: boolean }): Writable {
  const render = prettyFactory({
    colorize: options.colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  })
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line) out.write(render(line))
      callback()
    },
  })
}

/** Where `retake serve` sends its logs: stderr, as JSON lines or, per `logFormat`, pretty ones. */
export function serveLogStream(setting: Config['logFormat'], stderr: NodeJS.WriteStream = process.stderr): NodeJS.WritableStream {
  const format = chooseLogFormat(setting, stderr.isTTY === true)
  if (format === 'json') return stderr
  // hasColors() exists on terminals only, and honours NO_COLOR, FORCE_COLOR and TERM=dumb.
  return prettyLogStream(stderr, { colorize: stderr.isTTY === true && stderr.hasColors() })
}
