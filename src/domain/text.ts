// Characters no response can carry: XML 1.0 forbids C0 controls other than tab, LF and CR, U+FFFE and
// U+FFFF, and UTF-16 surrogates that are not part of a pair. The envelope replaces them on output;
// stored text never holds them in the first place (Retake strips them, as a text field could not show them).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NOT_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Text as it is stored: titles, descriptions, tags. */
export function storableText(text: string): string {
  return text.replace(NOT_XML_CHARS, '')
}
