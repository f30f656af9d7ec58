import { list, textEl } from '../payload.js'
import { defineMethod, type MethodRegistry } from '../registry.js'

export function reflectionGetMethods(registry: () => MethodRegistry) {
  return defineMethod({
    name: 'flickr.reflection.getMethods',
    description: 'Returns a list of available Flickr API methods.',
    perms: 'none',
    args: {},
    async handle() {
      return [{ name: 'methods', children: [list('method', registry().all().map((method) => textEl('method', method.name)))] }]
    },
  })
}
