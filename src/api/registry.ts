import type { Account } from '../db/account-repository.js'
import type { App } from '../db/app-repository.js'
import type { Perms } from '../db/tables.js'
import type { FlickrError } from '../errors/flickr-error.js'
import type { Payload } from '../http/payload.js'
import type { Services } from '../services.js'

export type PermLevel = 'none' | Perms

/** How much a permission level allows: read < write < delete, each implying the lower ones. */
export const PERM_RANK: Record<PermLevel, number> = { none: 0, read: 1, write: 2, delete: 3 }

export interface ArgumentSpec {
  name: string
  required: boolean
  description: string
}

export interface ErrorSpec {
  code: number
  message: string
}

/** Who is calling: the user behind a verified token, with the permission that token carries. */
export interface Actor {
  user: Account
  perms: Perms
  token: string
  tokenKind: 'oauth' | 'legacy'
}

export interface MethodContext {
  services: Services
  /** The verified calling application, when the call named one */
  app: App | null
  actor: Actor | null
  /** Whether the call carried a valid signature (OAuth or api_sig) */
  signed: boolean
  params: ReadonlyMap<string, string>
  /** Every argument as received, in order (flickr.test.echo) */
  rawParams: ReadonlyArray<readonly [string, string]>
  /** Origin for URLs in responses, e.g. https://127.0.0.1:8443 */
  baseUrl: string
}

/** One Flickr method: declared once, from which dispatch, argument checks, reflection and docs derive. */
export interface FlickrMethod {
  name: string
  description: string
  /** Permission the caller's token must carry; 'none' needs no user */
  perms: PermLevel
  /** Must be signed even when no user is needed (e.g. flickr.auth.* calls) */
  needsSigning: boolean
  /** Changes stored data: refused with 105 in maintenance mode */
  writes: boolean
  args: ArgumentSpec[]
  errors: ErrorSpec[]
  /** Argument checks beyond presence, as Flickr error codes; runs before handle */
  handle(ctx: MethodContext): Promise<Payload>
}

export function defineMethod(method: FlickrMethod): FlickrMethod {
  return method
}

/** The standard error list Flickr appends to every method's page. */
export const STANDARD_ERRORS: ErrorSpec[] = [
  { code: 95, message: 'SSL is required' },
  { code: 96, message: 'Invalid signature' },
  { code: 97, message: 'Missing signature' },
  { code: 98, message: 'Login failed / Invalid auth token' },
  { code: 99, message: 'User not logged in / Insufficient permissions' },
  { code: 100, message: 'Invalid API Key' },
  { code: 105, message: 'Service currently unavailable' },
  { code: 106, message: 'Write operation failed' },
  { code: 111, message: 'Format "xxx" not found' },
  { code: 112, message: 'Method "xxx" not found' },
  { code: 116, message: 'Bad URL found' },
]

export class MethodRegistry {
  readonly #methods = new Map<string, FlickrMethod>()

  constructor(methods: readonly FlickrMethod[]) {
    for (const method of methods) {
      if (this.#methods.has(method.name)) throw new Error(`method ${method.name} declared twice`)
      this.#methods.set(method.name, method)
    }
  }

  get(name: string): FlickrMethod | undefined {
    return this.#methods.get(name)
  }

  all(): FlickrMethod[] {
    return [...this.#methods.values()].sort((a, b) => a.name.localeCompare(b.name))
  }
}

/** Flickr's error for a missing required argument varies by method; most use their own code 1-3. */
export function requireArg(ctx: MethodContext, name: string, error: () => FlickrError): string {
  const value = ctx.params.get(name)
  if (value === undefined || value === '') throw error()
  return value
}
