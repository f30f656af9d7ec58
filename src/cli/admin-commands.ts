import type { Command } from 'commander'
import { loadConfig } from '../config/load.js'
import { createServices } from '../create-services.js'
import { createApp, createUser, issueAccessToken, requireUser, AccountError } from '../domain/accounts/account-service.js'
import type { Perms } from '../db/tables.js'
import { revokeToken } from '../domain/accounts/token-revocations.js'
import type { Services } from '../services.js'

type Action<T> = (services: Services, ...args: T[]) => Promise<unknown>

/** Opens the data folder's database, runs one action, prints its JSON result, closes. */
function withServices<T>(action: Action<T>) {
  return async (...args: T[]) => {
    const command = args[args.length - 1] as unknown as Command
    const opts = command.optsWithGlobals() as { data?: string }
    const services = await createServices(loadConfig({ overrides: { dataDir: opts.data } }))
    try {
      const result = await action(services, ...args)
      process.stdout.write(`${JSON.stringify(result)}\n`)
    } finally {
      await services.close()
    }
  }
}

const PERMS = ['read', 'write', 'delete'] as const

export function registerAdminCommands(program: Command): void {
  const user = program.command('user').description('Manage accounts').option('--data <dir>', 'data folder (env RETAKE_DATA)')
  user
    .command('create <name>')
    .option('--pro', 'a pro account (may replace photos, no free-plan limits)')
    .option('--password <pw>', 'password for the web sign-in (OAuth authorize page)')
    .option('--fullname <text>', 'full name')
    .action(
      withServices(async (services, name, opts) => {
        const o = opts as unknown as { pro?: boolean; password?: string; fullname?: string }
        const account = await createUser(services, { username: name as string, isPro: Boolean(o.pro), password: o.password, fullname: o.fullname })
        return { nsid: account.nsid, username: account.username, pro: account.isPro === 1 }
      }),
    )
  user
    .command('set <name>')
    .option('--pro', 'make it a pro account')
    .option('--free', 'make it a free account')
    .action(
      withServices(async (services, name, opts) => {
        const o = opts as unknown as { pro?: boolean; free?: boolean }
        if (Boolean(o.pro) === Boolean(o.free)) throw new AccountError('give exactly one of --pro or --free')
        const account = await requireUser(services, name as string)
        await services.accounts.setPro(account.nsid, Boolean(o.pro))
        return { nsid: account.nsid, username: account.username, pro: Boolean(o.pro) }
      }),
    )

  program
    .command('app')
    .description('Manage API keys')
    .option('--data <dir>', 'data folder (env RETAKE_DATA)')
    .command('create <name>')
    .requiredOption('--owner <user>', 'the account that owns the key')
    .option('--api-key <key>', "register a program's own key (32 hex) instead of a new one; needs --secret")
    .option('--secret <secret>', 'the shared secret (16 hex) that goes with --api-key')
    .action(
      withServices(async (services, name, opts) => {
        const o = opts as unknown as { owner: string; apiKey?: string; secret?: string }
        if ((o.apiKey === undefined) !== (o.secret === undefined)) throw new AccountError('--api-key and --secret go together')
        const given = o.apiKey !== undefined ? { apiKey: o.apiKey, secret: o.secret! } : undefined
        const app = await createApp(services, { name: name as string, ownerUsername: o.owner, given })
        return { api_key: app.apiKey, secret: app.secret }
      }),
    )

  const token = program
    .command('token')
    .description('Issue or revoke access tokens without the browser dance')
    .option('--data <dir>', 'data folder (env RETAKE_DATA)')
  token
    .command('revoke <token>')
    .description('Revoke an OAuth access token or a legacy auth_token; every running node refuses it within a second')
    .action(
      withServices(async (services, value) => {
        const revoked = await revokeToken(services, String(value))
        if (!revoked) throw new AccountError(`no active token ${String(value)}`)
        return { revoked: String(value) }
      }),
    )
  token
    .command('create')
    .requiredOption('--user <user>', 'the account the token acts for')
    .requiredOption('--api-key <key>', 'the app the token belongs to')
    .requiredOption('--perms <perms>', 'read, write or delete')
    .option('--legacy', 'a legacy auth_token for api_sig clients')
    .action(
      withServices(async (services, opts) => {
        const o = opts as unknown as { user: string; apiKey: string; perms: string; legacy?: boolean }
        if (!PERMS.includes(o.perms as Perms)) throw new AccountError('--perms must be read, write or delete')
        const account = await requireUser(services, o.user)
        if (!(await services.apps.byKey(o.apiKey))) throw new AccountError(`no app with api key ${o.apiKey}`)
        const issued = await issueAccessToken(services, { userNsid: account.nsid, apiKey: o.apiKey, perms: o.perms as Perms, legacy: Boolean(o.legacy) })
        return o.legacy ? { auth_token: issued.token } : { oauth_token: issued.token, oauth_token_secret: issued.secret }
      }),
    )

  const blocklist = program.command('blocklist').description('Hosts whose URLs are refused with error 116').option('--data <dir>', 'data folder')
  blocklist.command('add <host>').action(
    withServices(async (services, host) => {
      const name = String(host).toLowerCase()
      await services.settings.blockHost(name)
      return { blocked: name }
    }),
  )
  blocklist.command('remove <host>').action(
    withServices(async (services, host) => {
      const name = String(host).toLowerCase()
      return { unblocked: name, removed: await services.settings.unblockHost(name) }
    }),
  )

  program
    .command('maintenance <state>')
    .description('on: every write answers 105 (reads keep working); off: back to normal. No restart needed.')
    .option('--data <dir>', 'data folder')
    .action(
      withServices(async (services, state) => {
        if (state !== 'on' && state !== 'off') throw new AccountError('state must be on or off')
        await services.settings.setReadOnly(state === 'on')
        return { maintenance: state }
      }),
    )
}
