import { useEffect, useRef } from 'react'

/**
 * Ctrl+S (Cmd+S on a Mac) calls `save` while the calling component is mounted, as in every editor,
 * and the browser's own "Save page as" never opens. Ctrl+Shift+S and Ctrl+Alt+S are left alone.
 * `save` may change from render to render; the latest is called.
 */
export function useSaveShortcut(save: () => void): void {
  const latest = useRef(save)
  latest.current = save
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's') {
        e.preventDefault()
        latest.current()
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])
}
