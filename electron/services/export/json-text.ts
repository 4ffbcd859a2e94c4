// A file's UTF-8 bytes as the inside of a JSON string (no quotes around it): what a native export's
// answer carries (`csv`). Escaped where the file is written (the export worker), the main thread only
// passes the bytes on: decoding, escaping and encoding 32 MB there took ~0.7 s of its CPU (#9 §2).

import { StringDecoder } from 'node:string_decoder'

/** Turns UTF-8 bytes, given in pieces, into the escaped UTF-8 text of one JSON string with their text. */
export interface JsonTextEncoder {
  /** The escaped bytes of `bytes` (a UTF-8 sequence split between pieces is written whole with the next). */
  write(bytes: Buffer): Buffer
  /** What is left: an incomplete UTF-8 sequence at the end, as U+FFFD. */
  end(): Buffer
}

/**
 * A JsonTextEncoder: each piece's text as JSON.stringify escapes it (quotes, backslashes, control
 * characters), so the pieces joined equal JSON.stringify of the whole text without its quotes; bytes
 * that are not UTF-8 become U+FFFD, as Buffer#toString('utf8') gives them.
 */
export function jsonTextEncoder(): JsonTextEncoder {
  const utf8 = new StringDecoder('utf8')
  const escape = (text: string): Buffer => Buffer.from(JSON.stringify(text).slice(1, -1), 'utf8')
  return {
    write: (bytes) => escape(utf8.write(bytes)),
    end: () => escape(utf8.end()),
  }
}
