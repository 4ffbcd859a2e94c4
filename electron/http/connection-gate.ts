// The connections a server holds, who holds each, and which gives way when it is full
// (connection-limits.ts wires it to the server; displacement.ts makes the choice).
// - A connection is signed in while the latest request on it carried a credential its route
//   accepted (`req.user`, set by every dialect's authentication before the body is read). A request
//   that carried none signs it out (a browser's keep-alive reused after sign-out for a page that
//   needs no account keeps no mark for the user who left), and so does one whose credential was
//   refused (credential-refused.ts, whatever the dialect's status) or answered 401.
// - Connections not signed in are counted by client address (services/client-address.ts
//   clientAddressKey: every loopback address as one, IPv6 by its /64), signed-in ones by account (sessionKey): each holds at most a share of the places
//   before its own give way first. On loopback every local process is one such client, so the
//   address share is of connections not signed in only: signed-in sessions are shared by account.
// Below the cap a connection costs a Map entry; only at the cap are the held ones scanned.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { KeyedCounts } from '../keyed-counts'
import { clientAddressKey } from '../services/client-address'
import { displaceable, type HeldConnection, type HeldCounts } from './displacement'

/** Half the cap: what one address may hold of connections not signed in before its own give way first. */
export const UNSIGNED_SHARE = 0.5
/**
 * The most places one signed-in account holds before its idle ones (and its uploads) give way,
 * whatever the cap: a browser opens at most 6 to one host, and a user at most 16 event streams.
 * Half the cap let two accounts hold every place (rev9).
 */
export const SIGNED_IN_SHARE = 64

/**
 * Whom a signed-in connection counts for: the account (by id, so a rename changes nothing), and all
 * Token-Users without an account as one (a Linkis token allowing any user could otherwise name a
 * new "user" on each connection: rev9).
 */
export function sessionKey(user: { id: number }): string {
  return user.id >= 0 ? `account ${user.id}` : 'token users without an account'
}

/**
 * Ends a displaced connection whose signed-in request's body is still arriving: `request` and
 * `response` are that request's. The default destroys the connection.
 */
export type EndDisplaced = (socket: Socket, request: IncomingMessage, response: ServerResponse) => void

/** A held connection, with the answer to its latest request (what ends a displaced upload writes to). */
type Held = HeldConnection & { response?: ServerResponse }

/**
 * The connections a server holds, at most `max`: when full, a new one takes the place of one that
 * displacement.ts chooses, else it is closed unanswered. Attach it with `gateConnections`; `signIn`,
 * `signOut` and `closesAfter` are its questions from the request hooks.
 */
export class ConnectionGate implements HeldCounts {
  private readonly held = new Map<Socket, Held>() // in the order they came: oldest first
  private readonly unsignedByAddress = new KeyedCounts<string>()
  private readonly signedInByUser = new KeyedCounts<string>()
  private readonly counted = { addressesOverShare: 0, usersOverShare: 0 }
  /** Connections not signed in one address may hold before their own give way first (≥ 1). */
  readonly share: number
  /** Places one signed-in account (sessionKey) may hold before its idle ones give way first: `share`, at most SIGNED_IN_SHARE. */
  readonly userShare: number

  /**
   * `max`: connections held at once (≥ 1); `now`: a clock in ms (tests move it); `endDisplaced`: how a
   * displaced signed-in request whose body still arrives is ended (gateConnections answers it 503).
   */
  constructor(
    readonly max: number,
    private readonly now: () => number = () => performance.now(),
    private readonly endDisplaced: EndDisplaced = (socket) => socket.destroy(),
  ) {
    this.share = Math.max(1, Math.floor(max * UNSIGNED_SHARE))
    this.userShare = Math.min(this.share, SIGNED_IN_SHARE)
  }

  /** Addresses holding more than `share` of the connections not signed in (HeldCounts). */
  get addressesOverShare(): number {
    return this.counted.addressesOverShare
  }

  /** Accounts holding more than `userShare` places (HeldCounts). */
  get usersOverShare(): number {
    return this.counted.usersOverShare
  }

  /** How many connections are held now. */
  get size(): number {
    return this.held.size
  }

  /** A connection the server accepted: held, in the place of another when full, or destroyed. */
  admit(socket: Socket): void {
    if (this.held.size >= this.max) {
      const victim = displaceable(this.held, this, this.now())
      if (!victim) return void socket.destroy()
      const { user, inFlight, request, response } = this.held.get(victim)!
      this.forget(victim)
      // an upload is answered 503; an answer its client does not read, or anything else, cannot be
      if (user !== undefined && inFlight > 0 && request && !request.complete && response) this.endDisplaced(victim, request, response)
      else victim.destroy()
    }
    const held: Held = { address: clientAddressKey(socket.remoteAddress ?? ''), user: undefined, inFlight: 0, since: 0, request: undefined }
    this.held.set(socket, held)
    this.countUnsigned(held.address, 1)
    socket.once('close', () => this.forget(socket))
  }

  /** A request's head was read on `socket`; `res` closing ends it. */
  started(socket: Socket, req: IncomingMessage, res: ServerResponse): void {
    const held = this.held.get(socket)
    if (!held) return
    if (held.inFlight++ === 0) held.since = this.now()
    held.request = req
    held.response = res
    res.once('close', () => void held.inFlight--)
  }

  /** A request on `socket` carried a credential its route accepted, counting for `user` (sessionKey). */
  signIn(socket: Socket, user: string): void {
    const held = this.held.get(socket)
    if (!held || held.user === user) return
    if (held.user === undefined) this.countUnsigned(held.address, -1)
    else this.countSignedIn(held.user, -1)
    held.user = user
    this.countSignedIn(user, 1)
  }

  /** A request on `socket` carried no credential its route accepted: it counts as not signed in. */
  signOut(socket: Socket): void {
    const held = this.held.get(socket)
    if (held?.user === undefined) return
    this.countSignedIn(held.user, -1)
    held.user = undefined
    this.countUnsigned(held.address, 1)
  }

  /**
   * Whether an answer with `status` should close `socket`: a refusal of the request's credential
   * (`refused`, or a 401), which signs the connection out first, or any answer of 400 or more on a
   * connection not signed in. A refused client reconnects for its next try instead of keeping a place.
   */
  closesAfter(socket: Socket, status: number, refused: boolean): boolean {
    if (refused || status === 401) this.signOut(socket)
    const held = this.held.get(socket)
    return held !== undefined && held.user === undefined && (refused || status >= 400)
  }

  /** Connections not signed in of a client address (clientAddressKey; HeldCounts). */
  unsignedOf(address: string): number {
    return this.unsignedByAddress.get(address)
  }

  /** Places an account holds (HeldCounts). */
  signedInOf(user: string): number {
    return this.signedInByUser.get(user)
  }

  private forget(socket: Socket): void {
    const held = this.held.get(socket)
    if (!held) return
    this.held.delete(socket)
    if (held.user === undefined) this.countUnsigned(held.address, -1)
    else this.countSignedIn(held.user, -1)
  }

  private countUnsigned(address: string, by: 1 | -1): void {
    this.counted.addressesOverShare += countPast(this.unsignedByAddress, address, by, this.share)
  }

  private countSignedIn(user: string, by: 1 | -1): void {
    this.counted.usersOverShare += countPast(this.signedInByUser, user, by, this.userShare)
  }
}

/** Counts `by` for `key` in `counts`: `by` when that takes the key past `share` or back within it, else 0. */
function countPast(counts: KeyedCounts<string>, key: string, by: 1 | -1, share: number): number {
  const was = counts.get(key)
  const n = by > 0 ? counts.add(key) : counts.remove(key)
  return (was > share) === (n > share) ? 0 : by
}
