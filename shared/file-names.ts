// Names that become one file or folder name (a user's upload folder, a graph's file) on every system
// JobDesk ships for. Windows drops trailing dots and spaces from a path component (`alice.` IS
// `alice`), treats a device name as the device whatever the extension (`con`, `nul.txt`), and
// Windows and macOS both compare names ignoring case. Shared so user names and graph names are
// judged by the one rule.

/**
 * What a local account's name may be (users.service.ts refuses any other at creation): lower case,
 * digits, `.`, `_`, `-`, 1–64 characters. Names appear in Linkis paths (file:///jobdesk/<user>/…) and
 * execIDs, and such a name, unless Windows aliases it (below), is its own file name
 * (electron/user-file-names.ts).
 */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/

/**
 * Device names Windows reserves (CON, CONIN$, CONOUT$, PRN, AUX, NUL, COM0–9, LPT0–9, and COM/LPT with
 * ¹ ² ³), in any case, alone or before an extension (`con.txt`, `lpt1.tar.gz`), trailing dots and
 * spaces ignored, and spaces before the extension too (`con .csv` is CON: Python's ntpath.isreserved).
 */
const WINDOWS_DEVICE = /^(con|conin\$|conout\$|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]) *(\..*)?$/i

/** The name Windows stores for `name`: trailing dots and spaces dropped (`a.csv. ` is `a.csv`; `...` is none). */
export const windowsTrimmed = (name: string): string => name.replace(/[. ]+$/, '')

/** True when Windows would open a device instead of a file or folder of this name. */
export const isWindowsDeviceName = (name: string): boolean => WINDOWS_DEVICE.test(windowsTrimmed(name))

/**
 * The printable characters Windows allows in no file or folder name (`:` on NTFS names a hidden
 * stream of the file before it: `data.csv:ads`). Control characters are refused with the hidden ones.
 */
export const WINDOWS_FORBIDDEN_CHAR = /[<>:"|?*]/

/**
 * Why `name` cannot be a folder of its own on Windows or macOS (a sentence), or null when it can:
 * a trailing dot or space (the folder would be the one without it) or a device name. Case is left to
 * `folderKey`: a name that differs from another only in case is a problem only when the other exists.
 */
export function folderNameProblem(name: string): string | null {
  if (/[. ]$/.test(name)) return 'must not end with "." or a space: Windows drops them, so the folder would be the one named without them'
  if (isWindowsDeviceName(name)) {
    return 'must not be a Windows device name (CON, CONIN$, CONOUT$, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9, in any case, with or without an extension): it names no folder there'
  }
  return null
}

/**
 * The folder a name lands in as Windows and macOS compare names: lower case, trailing dots and spaces
 * dropped. Two names with the same key share one folder there.
 */
export const folderKey = (name: string): string => windowsTrimmed(name).toLowerCase()

/**
 * The file name, without extension, a job's result set is downloaded under: `job-7-result-1` for its
 * first, `position` counting from 1 as its tab ("Result 1"), an export's sheet name and the Scripts
 * page's downloads (ResultSetView) do. The native CSV and XLSX exports name it so (CSV counted from 0 before, #9).
 */
export const resultFileBase = (jobId: number, position: number): string => `job-${jobId}-result-${position}`
