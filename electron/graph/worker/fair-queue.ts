// The request lanes' queue (request-lane.ts): the app's fair line (fairness/fair-line.ts) with a bound
// on what one user may have waiting, so one user's many requests never make another's wait behind more
// than one of theirs, and never grow the queue without end (#9 §2). The lane takes a request with
// shift() and gives it back with release(user) when its answer came: a user whose request runs comes
// after every other waiting user, also one who arrived while it ran.
import { FairLine } from '../../fairness/fair-line'

export class FairQueue<T> extends FairLine<T> {
  /** `perUser`: the items one user may have waiting at once (push refuses more unless unbounded). */
  constructor(readonly perUser: number) {
    super({ perOwner: perUser })
  }
}
