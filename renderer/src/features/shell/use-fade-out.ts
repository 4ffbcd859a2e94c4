import { useEffect } from 'react'

/** How long a notice of success stays, in ms; its `notice-fading` class (styles.css) fades it out over the last tenth. */
export const NOTICE_MS = 6000

/**
 * Dismisses a notice of success after NOTICE_MS, as toasts in n8n or GitHub go: `notice` is what is
 * shown (a new one starts the time again); null, or `keep` for an error, which stays until the user
 * dismisses it, arms nothing. Give the notice the `notice-fading` class so that it fades as it goes.
 */
export function useFadeOut(notice: unknown, dismiss: () => void, keep = false): void {
  useEffect(() => {
    if (notice == null || keep) return
    const timer = setTimeout(dismiss, NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice, dismiss, keep])
}
