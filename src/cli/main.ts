import { Command, InvalidArgumentError, Option } from 'commander'
import { loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { registerAdminCommands } from './admin-commands.js'
import { registerDropInCommands } from './drop-in-commands.js'
import { registerMigrateStorageCommand } from './migrate-storage.js'
import { runServe } from './serve.js'

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port number')
  return n
}

/** Config for a command: flags win over RETAKE_* variables, which win over the defaults. */
export function configFrom(overrides: Partial<Record<keyof Config, unknown>>): Config {
  return loadConfig({ overrides })
}

const program = new Command()
program.name('retake').description('A self-hosted photo service that speaks Flickr\'s API').showHelpAfterError()

program
  .command('serve')
  .description('Serve the Flickr API, photos and web pages')
  .option('--data <dir>', 'data folder (env RETAKE_DATA)')
  .option('--host <host>', 'address to bind')
  .option('--https-port <port>', 'HTTPS port (0 = any free port)', port)
  .option('--http-port <port>', 'plain-HTTP port (0 = any free port)', port)
  .addOption(new Option('--no-http', 'no plain-HTTP listener').conflicts('httpPort'))
  .option('--tls-cert <file>', 'PEM certificate (else a self-signed one is made under DATA/tls/)')
  .option('--tls-key <file>', 'PEM private key for --tls-cert')
  .option('--public-url <url>', 'base URL used in responses')
  .option('--trust-proxy', 'honour X-Forwarded-Proto/Host/For from a TLS-terminating proxy')
  .option('--read-only', 'maintenance mode: every write answers error 105')
  .option('--drop-in', "answer as Flickr's hosts with the DATA/drop-in/ certificate; ports 443 and 80 unless set (docs/drop-in.md)")
  .action(async (opts) => {
    const config = configFrom({
      dataDir: opts.data,
      host: opts.host,
      httpsPort: opts.httpsPort,
      // commander sets `http` to false for --no-http; null is how the config says "no listener".
      httpPort: opts.http === false ? null : opts.httpPort,
      tlsCert: opts.tlsCert,
      tlsKey: opts.tlsKey,
      publicUrl: opts.publicUrl,
      trustProxy: opts.trustProxy,
      readOnly: opts.readOnly,
      dropIn: opts.dropIn,
    })
    await runServe(config)
  })

registerAdminCommands(program)
registerMigrateStorageCommand(program)
registerDropInCommands(program)

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`retake: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
