import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Agent } from 'undici'
import { waitFor } from './poll.js'

// A real `./bin/retake serve` child process, for tests that need the CLI, signals or a crash.

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = join(ROOT, 'bin', 'retake')

export interface ServeExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface ServeProcess {
  child: ChildProcess
  /** The HTTPS URL it printed */
  url: string
  /** Trusts the certificate the server made under DATA/tls/ */
  dispatcher: Agent
  exited: Promise<ServeExit>
  stdout(): string
  stderr(): string
  /** The first stdout line matching `pattern` (^ and $ match per line), waiting until it is printed. */
  stdoutLine(pattern: RegExp, what: string): Promise<string>
}

/** This process's environment minus every RETAKE_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RETAKE_'))), ...extra }
}

/** `retake serve --data dataDir ...args`, resolved once it prints its HTTPS URL (rejected if it exits first). */
export async function startServeProcess(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data', dataDir, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  let exit: ServeExit | undefined
  const exited = new Promise<ServeExit>((resolve) => child.once('close', (code, signal) => resolve((exit = { code, signal }))))
  const stdoutLine = (pattern: RegExp, what: string) =>
    waitFor(
      () => {
        const line = new RegExp(pattern.source, 'm').exec(stdout)?.[0]
        if (!line && exit) throw new Error(`serve exited (${exit.code ?? exit.signal}) before printing ${what}; stderr: ${stderr}`)
        return line
      },
      { what: `serve to print ${what}`, timeoutMs: 30_000 },
    )
  const url = await stdoutLine(/^https:\/\/\S+$/, 'its HTTPS URL')
  const dispatcher = new Agent({ connect: { ca: readFileSync(join(dataDir, 'tls', 'cert.pem')) } })
  return { child, url, dispatcher, exited, stdout: () => stdout, stderr: () => stderr, stdoutLine }
}
