import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { pino, type LoggerOptions } from 'pino'
import { chooseLogFormat, prettyLogStream, serveLogStream } from '../../src/cli/log-output.js'
import { loggerOptions } from '../../src/log.js'

class TextSink extends Writable {
  text = ''
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8')
    callback()
  }
}

/** What serveLogStream reads of stderr: a terminal or not, with or without colours. */
function fakeStderr(isTTY: boolean): NodeJS.WriteStream {
  return Object.assign(new TextSink(), { isTTY, hasColors: () => false }) as unknown as NodeJS.WriteStream
}

test('auto is pretty exactly when stderr is a terminal; json and pretty are taken as set', () => {
  assert.equal(chooseLogFormat('auto', true), 'pretty')
  assert.equal(chooseLogFormat('auto', false), 'json')
  for (const terminal of [true, false]) {
    assert.equal(chooseLogFormat('json', terminal), 'json')
    assert.equal(chooseLogFormat('pretty', terminal), 'pretty')
  }
})

test('serveLogStream: JSON goes to stderr as it is, pretty goes through a renderer', () => {
  const pipe = fakeStderr(false)
  assert.equal(serveLogStream('auto', pipe), pipe)
  const terminal = fakeStderr(true)
  assert.notEqual(serveLogStream('auto', terminal), terminal)
})

test('pretty lines keep the redaction: pino redacts before the line is rendered', () => {
  const sink = new TextSink()
  const logger = pino(loggerOptions('info') as LoggerOptions, prettyLogStream(sink, { colorize: false }))
  logger.info({ req: { method: 'GET', url: '/services/rest?oauth_token=tok-SECRET-1&method=flickr.test.login' }, form: { password: 'hunter2-SECRET' } }, 'incoming request')
  const lines = sink.text.split('\n').filter(Boolean)
  assert.equal(lines.length, 1, 'one line per entry')
  assert.match(lines[0]!, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: incoming request /)
  assert.throws(() => JSON.parse(lines[0]!), 'not a JSON line')
  assert.ok(!sink.text.includes('SECRET'), sink.text)
  assert.match(sink.text, /oauth_token=\[Redacted\]&method=flickr\.test\.login/)
})
