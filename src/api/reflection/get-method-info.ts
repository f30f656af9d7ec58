import { methodErrors, standardErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'
import { el, list, textEl } from '../payload.js'
import { PERM_RANK, defineMethod, required, type MethodRegistry } from '../registry.js'

export function reflectionGetMethodInfo(registry: () => MethodRegistry) {
  return defineMethod({
    name: 'flickr.reflection.getMethodInfo',
    description: 'Returns information for a given Flickr API method.',
    perms: 'none',
    args: { method_name: required('The name of the method to fetch information for.', methodErrors.reflectionMethodNotFound) },
    async handle(_ctx, args) {
      const method = registry().get(args.method_name)
      if (!method) throw new FlickrError(methodErrors.reflectionMethodNotFound)
      const rank = PERM_RANK[method.perms]
      return [
        el(
          'method',
          { name: method.name, needslogin: rank > 0 ? 1 : 0, needssigning: method.needsSigning || rank > 0 ? 1 : 0, requiredperms: rank },
          textEl('description', method.description),
        ),
        {
          name: 'arguments',
          children: [list('argument', method.args.map((arg) => textEl('argument', arg.description, { name: arg.name, optional: arg.required ? 0 : 1 })))],
        },
        {
          name: 'errors',
          children: [
            list(
              'error',
              [...method.errors, ...Object.values(standardErrors)].map((error) => textEl('error', error.message, { code: error.code, message: error.message })),
            ),
          ],
        },
      ]
    },
  })
}
