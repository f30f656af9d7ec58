import { z } from 'zod'
import type { Account } from '../db/account-repository.js'
import type { App } from '../db/app-repository.js'
import type { Perms } from '../db/tables.js'
import type { ErrorSpec } from '../errors/catalogue.js'
import { FlickrError } from '../errors/flickr-error.js'
import type { Services } from '../services.js'
import type { PublicUrls } from '../http/public-urls.js'
import type { Payload } from './payload.js'

export type PermLevel = 'none' | Perms

/** How much a permission level allows: read < write < delete, each implying the lower ones. */
export const PERM_RANK: Record<PermLevel, number> = { none: 0, read: 1, write: 2, delete: 3 }

/** Who is calling: the user behind a verified token, with the permission that token carries. */
export interface Actor {
  user: Account
  perms: Perms
  token: string
  tokenKind: 'oauth' | 'legacy'
}

export interface MethodContext {
  services: Services
  /** The verified calling application (dispatch refuses calls without one) */
  app: App
  actor: Actor | null
  /** Whether the call carried a valid signature (OAuth or api_sig) */
  signed: boolean
  /** Every argument as received, in order (flickr.test.echo) */
  rawParams: ReadonlyArray<readonly [string, string]>
  /** Origin of page URLs in responses (urls.web), e.g. https://127.0.0.1:8443 */
  baseUrl: string
  /** Every origin for URLs in responses; photo file URLs take urls.static */
  urls: PublicUrls
}

/** One argument: its schema (parsed at dispatch) and the method's own error when it is absent or bad. */
export interface ArgDecl<T> {
  readonly schema: z.ZodType<T, string | undefined>
  readonly description: string
  readonly required: boolean
  readonly error?: ErrorSpec
}

type ArgsShape = Record<string, ArgDecl<unknown>>
export type ArgsOf<A extends ArgsShape> = { [K in keyof A]: A[K] extends ArgDecl<infer T> ? T : never }

/** A required argument: missing, empty or not matching `schema` answers `error`. */
export function required(description: string, error: ErrorSpec): ArgDecl<string>
export function required<T>(description: string, error: ErrorSpec, schema: z.ZodType<T, string | undefined>): ArgDecl<T>
export function required(description: string, error: ErrorSpec, schema?: z.ZodType<unknown, string | undefined>): ArgDecl<unknown> {
  return { schema: schema ?? nonEmpty, description, required: true, error }
}

/** An optional argument; `schema` sees undefined when it is absent. Without `error`, a bad value counts as absent. */
export function optional<T>(description: string, schema: z.ZodType<T, string | undefined>, error?: ErrorSpec): ArgDecl<T> {
  return { schema, description, required: false, error }
}

const nonEmpty = z.string().min(1)

export interface MethodDecl<A extends ArgsShape> {
  name: string
  description: string
  /** Permission the caller's token must carry; 'none' needs no user */
  perms: PermLevel
  /** Must be signed even when no user is needed (e.g. flickr.auth.* calls) */
  needsSigning?: boolean
  /** Changes stored data: refused with 105 in maintenance mode */
  writes?: boolean
  args: A
  /** Codes the handler raises besides its arguments' own */
  errors?: ErrorSpec[]
  handle(ctx: MethodContext, args: ArgsOf<A>): Promise<Payload>
}

/** One Flickr method: declared once; dispatch, argument checks, reflection and docs derive from it. */
export interface FlickrMethod {
  readonly name: string
  readonly description: string
  readonly perms: PermLevel
  readonly needsSigning: boolean
  readonly writes: boolean
  /** As reflection lists them: api_key first, then the declared ones */
  readonly args: ReadonlyArray<{ name: string; required: boolean; description: string }>
  /** The method's own codes (standard ones excluded) */
  readonly errors: readonly ErrorSpec[]
  call(ctx: MethodContext, params: ReadonlyMap<string, string>): Promise<Payload>
}

const API_KEY = { name: 'api_key', required: true, description: 'Your API application key.' }

export function defineMethod<A extends ArgsShape>(decl: MethodDecl<A>): FlickrMethod {
  const entries = Object.entries(decl.args)
  const errors = new Set<ErrorSpec>()
  for (const [, arg] of entries) if (arg.error) errors.add(arg.error)
  for (const error of decl.errors ?? []) errors.add(error)
  return {
    name: decl.name,
    description: decl.description,
    perms: decl.perms,
    needsSigning: decl.needsSigning ?? false,
    writes: decl.writes ?? false,
    args: [API_KEY, ...entries.map(([name, arg]) => ({ name, required: arg.required, description: arg.description }))],
    errors: [...errors].sort((a, b) => a.code - b.code),
    call: (ctx, params) => decl.handle(ctx, parseArgs(entries, params) as ArgsOf<A>),
  }
}

function parseArgs(entries: ReadonlyArray<[string, ArgDecl<unknown>]>, params: ReadonlyMap<string, string>): Record<string, unknown> {
  const parsed: Record<string, unknown> = Object.create(null)
  for (const [name, arg] of entries) {
    const raw = params.get(name)
    if (arg.required && (raw === undefined || raw === '')) throw new FlickrError(arg.error!)
    const result = arg.schema.safeParse(raw)
    if (result.success) {
      parsed[name] = result.data
      continue
    }
    if (arg.error) throw new FlickrError(arg.error)
    parsed[name] = arg.schema.safeParse(undefined).data
  }
  return parsed
}

/** Every method by name; Flickr matches names case-insensitively (flickr-uploader calls flickr.photos.setdates). */
export class MethodRegistry {
  readonly #methods = new Map<string, FlickrMethod>()

  constructor(methods: readonly FlickrMethod[]) {
    for (const method of methods) {
      const key = method.name.toLowerCase()
      if (this.#methods.has(key)) throw new Error(`method ${method.name} declared twice`)
      this.#methods.set(key, method)
    }
  }

  get(name: string): FlickrMethod | undefined {
    return this.#methods.get(name.toLowerCase())
  }

  all(): FlickrMethod[] {
    return [...this.#methods.values()].sort((a, b) => a.name.localeCompare(b.name))
  }
}
