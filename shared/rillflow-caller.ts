// Who a credential-less Rill Flow call is (README, "Rill Flow's trust model"): from this computer,
// while JobDesk has a single user, it acts as the desktop user (admin), and what it stores or submits
// is recorded under this name, which no account may take (users.service.ts RESERVED).

/** The user name a credential-less Rill Flow call from loopback acts and records under. */
export const RILLFLOW_LOOPBACK_USER = 'rillflow'

/** What the UI says beside the name RILLFLOW_LOOPBACK_USER, so nobody looks for such a user in Settings. */
export const RILLFLOW_LOOPBACK_NOTE = 'a Rill Flow call from this computer without a credential, acting as the desktop user (admin)'

/** RILLFLOW_LOOPBACK_NOTE in a few words, for narrow places (a list's line); the whole note is its title. */
export const RILLFLOW_LOOPBACK_BRIEF = 'Rill Flow call, no credential'
