// The one owner-or-admin rule (#9 §3), here so that every layer can import it: the services
// (services/access.ts re-exports it), the graph subsystem, which may not import services (its
// algorithm and import jobs), and the renderer.

/** What a job's owner is read from: who submitted it, and whom it ran as (Linkis executeUser). */
export interface Owned {
  submitter: string
  labels: Record<string, string>
}

/** Who asks, as owner-or-admin reads it: a user, their role, and the names a session may act as (a Linkis proxy user). */
export interface Reacher {
  username: string
  isAdmin: boolean
  actsAs?: readonly string[]
}

/** The names a job belongs to. */
export function ownersOf(job: Owned): string[] {
  return job.labels.executeUser && job.labels.executeUser !== job.submitter ? [job.submitter, job.labels.executeUser] : [job.submitter]
}

/** Owner or admin: the caller (or a name they act as) submitted the job or it ran as them, or they are an admin. */
export function mayReach(actor: Reacher, job: Owned): boolean {
  if (actor.isAdmin) return true
  const mine = new Set([actor.username, ...(actor.actsAs ?? [])])
  return ownersOf(job).some((name) => mine.has(name))
}
