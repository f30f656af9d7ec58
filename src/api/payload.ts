/**
 * The neutral shape of a Flickr response payload, rendered to REST XML or JSON by flickr-envelope.ts.
 * Attribute values keep their JS type so JSON can say `"complete":1` where Flickr does, while XML
 * stringifies everything.
 */
export type AttrValue = string | number | null | undefined
export type Attrs = Record<string, AttrValue>

export interface Element {
  name: string
  attrs?: Attrs
  text?: string
  children?: Child[]
}

/** A repeated element: always an array in JSON, even with one or zero items (e.g. `ticket`, `size`). */
export interface ElementList {
  list: string
  items: Element[]
}

export type Child = Element | ElementList

export type Payload = Child[]

export function el(name: string, attrs?: Attrs, ...children: Child[]): Element {
  return children.length > 0 ? { name, attrs, children } : { name, attrs }
}

export function textEl(name: string, text: string, attrs?: Attrs): Element {
  return { name, attrs, text }
}

export function list(name: string, items: Element[]): ElementList {
  return { list: name, items }
}

export function isList(child: Child): child is ElementList {
  return 'list' in child
}
