// The bytes of finished values whose loads are under way for answers (finished-values.ts), counted
// against the bound on held bytes as if they were held already: each load becomes a held value once
// it ends. Counted only once held, a user's answers for many distinct values all found room at once
// and all queued a load (atk13: mallory's 24 answers of 12 MB each, against a bound of 128 MB), and
// another user's load started after all of theirs. Each value counts once in all, however many
// answers wait for its one load, and once per user whose answers wait for it (that user's share).

/** An answer waiting for the load of a value: which value (its key), its size in bytes, and whose answer it is. */
interface Wait {
  key: string
  size: number
  reader: string
}

/** The loads under way that answers wait for (loadsUnderWay), by value and by user. */
export interface LoadsUnderWay {
  /** An answer of `reader` waits for the load of value `key` of `size` bytes; the returned function ends that wait (more calls do nothing). */
  wait(key: string, size: number, reader: string): () => void
  /** Bytes of the values loading for any answer, each value once; `but`: leaving out value `but` (the caller's own). */
  bytes(but?: string): number
  /** Bytes of the values loading for `reader`'s answers, each value once; `but`: leaving out value `but`. */
  bytesOf(reader: string, but?: string): number
}

/** Loads under way, counted while answers wait for them; `ended` is called each time a wait ends (room may have come). */
export function loadsUnderWay(ended: () => void): LoadsUnderWay {
  const waits = new Set<Wait>()
  /** Bytes of the distinct values of the waits `which` keeps, leaving out `but`. */
  const sum = (which: (w: Wait) => boolean, but?: string): number => {
    const sizes = new Map<string, number>()
    for (const w of waits) if (w.key !== but && which(w)) sizes.set(w.key, w.size)
    let bytes = 0
    for (const size of sizes.values()) bytes += size
    return bytes
  }
  return {
    wait(key, size, reader) {
      const w: Wait = { key, size, reader }
      waits.add(w)
      return () => {
        if (waits.delete(w)) ended()
      }
    },
    bytes: (but) => sum(() => true, but),
    bytesOf: (reader, but) => sum((w) => w.reader === reader, but),
  }
}
