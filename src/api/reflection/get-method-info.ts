import { FlickrError } from '../../errors/flickr-error.js'
import { el, list, textEl } from '../../http/payload.js'
import { PERM_RANK, STANDARD_ERRORS, defineMethod, requireArg, type MethodRegistry } from '../registry.js'

const methodNotFound = () => new FlickrError(1, 'Method not found')

export function reflectionGetMethodInfo(registry: () => MethodRegistry) {
  return defineMethod({
    name: 'flickr.reflection.getMethodInfo',
    description: 'Returns information for a given Flickr API method.',
    perms: 'none',
    needsSigning: false,
    writes: false,
    args: [
      { name: 'api_key', required: true, description: 'Your API application key.' },
      { name: 'method_name', required: true, description: 'The name of the method to fetch information for.' },
    ],
    errors: [{ code: 1, message: 'Method not found' }],
    async handle(ctx) {
      const method = registry().get(requireArg(ctx, 'method_name', methodNotFound))
      if (!method) throw methodNotFound()
      const rank = PERM_RANK[method.perms]
      return [
        el(
          'method',
          { name: method.name, needslogin: rank > 0 ? 1 : 0, needssigning: method.needsSigning || rank > 0 ? 1 : 0, requiredperms: rank },
          textEl('description', method.description),
        ),
        {
          name: 'arguments',
          children: [
            list('argument', method.args.map((arg) => textEl('argument', arg.description, { name: arg.name, optional: arg.required ? 0 : 1 }))),
          ],
        },
        {
          name: 'errors',
          children: [list('error', [...method.errors, ...STANDARD_ERRORS].map((error) => textEl('error', error.message, { code: error.code, message: error.message })))],
        },
      ]
    },
  })
}
