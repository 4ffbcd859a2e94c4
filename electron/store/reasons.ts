// Why a job or task failed: its reason text. A script's error, an exception's message or a
// callback's `msg` may be megabytes (a SQL script naming a table of 900,000 characters fails with
// "no such table: <the name>"), and a reason is carried in every list page that shows its job
// (#9 §2). So a reason is stored cut at STORED_REASON_CHARS, and lists show LIST_REASON_CHARS of it;
// each cut ends by saying how long the whole reason was.

/** The most characters of a reason stored for a job, a task or a task's attempt (the job's detail shows this much). */
export const STORED_REASON_CHARS = 16 * 1024
/** The most characters of a reason a list of jobs shows (every dialect's list). */
export const LIST_REASON_CHARS = 2 * 1024

/**
 * `reason` cut to its first `max` characters followed by `… (<its UTF-8 size> bytes)`, or as it is
 * when it is no longer (null stays null). A reason already cut keeps the size of the whole one: the
 * note of the first cut is read back rather than counting the cut text.
 */
export function cutReason<R extends string | null>(reason: R, max: number): R {
  if (reason === null || reason.length <= max) return reason
  const size = /… \((\d+) bytes\)$/.exec(reason)?.[1] ?? String(Buffer.byteLength(reason))
  let end = max
  if ((reason.charCodeAt(end - 1) & 0xfc00) === 0xd800) end-- // never between the halves of a surrogate pair
  return `${reason.slice(0, end)}… (${size} bytes)` as R
}

/** A reason as it is stored (STORED_REASON_CHARS). */
export const storedReason = <R extends string | null>(reason: R): R => cutReason(reason, STORED_REASON_CHARS)

/** A reason as a list shows it (LIST_REASON_CHARS). */
export const listedReason = <R extends string | null>(reason: R): R => cutReason(reason, LIST_REASON_CHARS)
