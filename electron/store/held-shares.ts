// Who holds the finished values in memory (finished-values.ts), and each user's share of them. An answer
// holds its value from its first slice to its last, within a bound on all the bytes held (heldLimit);
// while another user's answer waits for room, each user may hold at most an equal share of that bound
// (heldLimit divided by the users holding or waiting), and one holding more gives back holds, least
// recently read first, until the waiting answer fits. So no user, however fast it reads, keeps the
// others waiting: one user's 8 readers of 16 MB values asking for a slice every second held all 128 MB,
// and every other user's large answer waited HOLD_WAIT_MS (30 s). An answer that asked for no slice in
// HOLD_IDLE_MS lapses too (lapseIdle): a client that opens answers and reads none of them (atk34).

/** A held value, as shares count it: its bytes, and how many answers hold it (one value, many holders). */
export interface HeldValue {
  bytes: Buffer
  holders: number
}

/** An answer holding a value: whose it is, when it last asked for a slice, and its hold. */
export interface Holder<V extends HeldValue> {
  /** The user name the answer is for ('' when none was given). */
  reader: string
  /** When it last asked for a slice (or took its hold), ms on the FinishedBytes clock. */
  lastRead: number
  /** The value it holds; undefined when it holds none (lapsed, released). */
  value: () => V | undefined
  /** Gives its hold back (it reads on as without holding). */
  lapse: () => void
}

/** The answers holding values, by user, and the share rule over them (createHeldShares). */
export interface HeldShares<V extends HeldValue> {
  /** Answer `answer` holds now as `holder` (its last read: now). */
  take(answer: object, holder: Holder<V>): void
  /** Answer `answer` holds nothing any more (its value given back by the caller). */
  letGo(answer: object): void
  /** Answer `answer` asked for a slice at `now` (ms): its hold is not idle. */
  read(answer: object, now: number): void
  /** An answer of `reader` waits for room until the returned function is called. */
  want(reader: string): () => void
  /** Whether `reader` may hold `value` (`size` bytes; held already: it costs nothing) beside what it holds, while another user waits for room. */
  withinShare(reader: string, value: V | undefined, size: number): boolean
  /** Gives back the holds of answers that asked for no slice since `before` (ms): another answer needs the room. */
  lapseIdle(before: number): void
  /**
   * Makes room for `size` bytes of `reader` (holding nothing, or within its share with them) from the
   * users holding more than their share: each gives back holds, least recently read first, down to its
   * share at most, until `room(size)` is true.
   */
  lapseOverShare(reader: string, size: number): void
  /** The bytes each user's answers hold (each value once per user), by user name. */
  heldBy(): Record<string, number>
  /** How many holds were given back for another answer's room: idle, or over their user's share. */
  readonly lapses: { idle: number; share: number }
}

/**
 * The holds of answers within `heldLimit` bytes in all, where `room(size)` says whether `size` more
 * bytes fit now. Answers are held weakly: one dropped without letting go is forgotten once collected
 * (its value is given back by the caller's FinalizationRegistry).
 */
export function createHeldShares<V extends HeldValue>(heldLimit: number, room: (size: number) => boolean): HeldShares<V> {
  const holding = new Set<WeakRef<object>>()
  const refs = new WeakMap<object, WeakRef<object>>()
  const holders = new WeakMap<object, Holder<V>>()
  // the readers (user names) of answers waiting for room (not holding yet), one entry per answer
  const wanting = new Map<object, string>()
  const lapses = { idle: 0, share: 0 }
  /** The answers holding a value now (not collected), with their holders. */
  const holdersNow = (): Holder<V>[] => {
    const now: Holder<V>[] = []
    for (const ref of holding) {
      const answer = ref.deref()
      const h = answer && holders.get(answer)
      if (h?.value()) now.push(h)
    }
    return now
  }
  /** The bytes held by `reader`'s answers (each value once). */
  const heldBy = (reader: string, now = holdersNow()): number => {
    const values = new Set<V>()
    for (const h of now) if (h.reader === reader) values.add(h.value()!)
    let bytes = 0
    for (const v of values) bytes += v.bytes.length
    return bytes
  }
  /** heldLimit divided by the users holding or waiting (`reader` among them). */
  const share = (reader: string, now = holdersNow()): number => heldLimit / new Set([reader, ...wanting.values(), ...now.map((h) => h.reader)]).size
  return {
    take(answer, holder) {
      let ref = refs.get(answer)
      if (!ref) refs.set(answer, (ref = new WeakRef(answer)))
      holding.add(ref)
      holders.set(answer, holder)
    },
    letGo(answer) {
      const ref = refs.get(answer)
      if (ref) holding.delete(ref)
    },
    read(answer, now) {
      const h = holders.get(answer)
      if (h) h.lastRead = now
    },
    want(reader) {
      const want = {}
      wanting.set(want, reader)
      return () => wanting.delete(want)
    },
    withinShare(reader, value, size) {
      if ((value?.holders ?? 0) > 0 || ![...wanting.values()].some((r) => r !== reader)) return true
      const now = holdersNow()
      return heldBy(reader, now) + size <= share(reader, now)
    },
    lapseIdle(before) {
      for (const ref of [...holding]) {
        const answer = ref.deref()
        const h = answer && holders.get(answer)
        if (!h) holding.delete(ref) // collected: the caller's registry gave its room back
        else if (h.lastRead <= before && h.value()) {
          h.lapse()
          lapses.idle++
        }
      }
    },
    // a reader that asks for a slice every second never lapses by HOLD_IDLE_MS: its user's share makes the room
    lapseOverShare(reader, size) {
      let now = holdersNow()
      const mine = heldBy(reader, now)
      if (mine > 0 && mine + size > share(reader, now)) return // past its own share: it waits as before
      const others = [...new Set(now.map((h) => h.reader))].filter((r) => r !== reader)
      for (const other of others.sort((a, b) => heldBy(b, now) - heldBy(a, now))) {
        const theirs = now.filter((h) => h.reader === other).sort((a, b) => a.lastRead - b.lastRead)
        for (const h of theirs) {
          if (room(size) || heldBy(other, now) <= share(reader, now)) break
          h.lapse()
          lapses.share++
          now = holdersNow()
        }
        if (room(size)) return
      }
    },
    heldBy() {
      const now = holdersNow()
      return Object.fromEntries([...new Set(now.map((h) => h.reader))].map((r) => [r, heldBy(r, now)]))
    },
    lapses,
  }
}
