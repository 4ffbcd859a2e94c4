/**
 * What is wrong with a password typed a second time, in the field labelled `label` ("Confirm
 * password"), against the `password` typed first; null when they match. An empty repeat is a missing
 * field, not a second password that differs. Said before the server is asked: it never sees the repeat.
 */
export function repeatProblem(password: string, repeat: string, label: string): string | null {
  if (!repeat) return `Type the password again in ${label}.`
  if (repeat !== password) return 'The two passwords differ: type the same one twice.'
  return null
}
