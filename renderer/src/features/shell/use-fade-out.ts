import { useEffect } from 'react'

/** How long a notice of success stays before it fades out, in ms (the fade itself is the last NOTICE_FADE_MS). */
export const NOTICE_MS = 6000
/** The CSS fade at the end of a notice's time (`.notice-fading` in styles.css), in ms. */
export const NOTICE_FADE_MS = 600

/**
 * Dismisses a notice of success after NOTICE_MS, as toasts in n8n or GitHub do; `notice` is what
 * is shown (a new one starts the time again), null or `keep` (an error, which stays until the user
 * dismisses it) arms nothing. The notice gets the `notice-fading` class for its last moments
 * through the CSS animation `notice-fade`, which lasts NOTICE_MS.
 */
export function useFadeOut(notice: unknown, dismiss: () => void, keep = false): void {
  useEffect(() => {
    if (notice == null || keep) return
    const timer = setTimeout(dismiss, NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice, dismiss, keep])
}
