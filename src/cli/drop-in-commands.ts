import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../config/load.js'
import { createDatabase } from '../db/database.js'
import { UnknownMethodRepository } from '../db/unknown-method-repository.js'
import { ensureDropInTls } from '../drop-in/certificates.js'
import { hostsFileLines } from '../drop-in/hosts.js'

// `retake drop-in init` and `retake report unknown-methods` (docs/drop-in.md).

function dataDirOf(command: Command): string {
  const opts = command.optsWithGlobals() as { data?: string }
  return loadConfig({ overrides: { dataDir: opts.data } }).dataDir
}

/** What an operator does next: trust the CA one of the usual ways, and point Flickr's names here. */
export function trustInstructions(caFile: string, address: string): string {
  return [
    `CA certificate: ${caFile}`,
    '',
    'Trust it (pick what the programs use):',
    `  system (Debian/Ubuntu):  cp ${caFile} /usr/local/share/ca-certificates/retake-drop-in.crt && update-ca-certificates`,
    `  Node programs:           export NODE_EXTRA_CA_CERTS=${caFile}`,
    `  Python requests:         export REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt   (after update-ca-certificates)`,
    `  curl:                    curl --cacert ${caFile} https://www.flickr.com/`,
    '',
    'Add to /etc/hosts (every Flickr host name programs build, farm1..farm66 included):',
    ...hostsFileLines(address).map((line) => `  ${line}`),
    '',
    'Then: retake serve --drop-in   (HTTPS on 443, HTTP on 80)',
    '',
  ].join('\n')
}

export function registerDropInCommands(program: Command): void {
  program
    .command('drop-in')
    .description('Serve as www.flickr.com & co. for unmodified programs (docs/drop-in.md)')
    .option('--data <dir>', 'data folder (env RETAKE_DATA)')
    .command('init')
    .description("Make the local CA (once) and a certificate for Flickr's host names under DATA/drop-in/")
    .option('--address <ip>', 'address the hosts-file lines point at', '127.0.0.1')
    .action(async (opts: { address: string }, command: Command) => {
      const tls = await ensureDropInTls(dataDirOf(command))
      const made = tls.caCreated ? 'created a new CA' : 'reused the existing CA'
      process.stderr.write(`retake: ${made}; ${tls.leafIssued ? 'issued a new' : 'kept the'} server certificate\n`)
      process.stdout.write(trustInstructions(resolve(tls.files.caCert), opts.address))
    })

  program
    .command('report')
    .description('Reports from the data folder')
    .option('--data <dir>', 'data folder (env RETAKE_DATA)')
    .command('unknown-methods')
    .description('Methods programs called that Retake does not serve (counted by serve --drop-in)')
    .option('--json', 'one JSON array instead of a table')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const config = loadConfig({ overrides: { dataDir: dataDirOf(command) } })
      const handle = await createDatabase({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'retake.db') })
      try {
        const counts = await new UnknownMethodRepository(handle.db).all()
        if (opts.json) process.stdout.write(`${JSON.stringify(counts)}\n`)
        else if (counts.length === 0) process.stdout.write('no unknown methods called\n')
        else for (const row of counts) process.stdout.write(`${String(row.calls).padStart(8)}  ${row.method}  (${row.appName})\n`)
      } finally {
        await handle.close()
      }
    })
}
