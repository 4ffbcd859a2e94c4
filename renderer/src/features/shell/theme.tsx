import { useEffect } from 'react'
import { useLayout, type ThemeChoice } from '../../stores/layout'
import { useMediaQuery } from './use-media-query'

const DARK_QUERY = '(prefers-color-scheme: dark)'
const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' }
const LABELS: Record<ThemeChoice, { icon: string; text: string }> = {
  system: { icon: '◐', text: 'System theme' },
  light: { icon: '☀', text: 'Light' },
  dark: { icon: '☾', text: 'Dark' },
}

/** The theme in force: the user's choice, or the system's. */
export function useResolvedTheme(): 'light' | 'dark' {
  const choice = useLayout((s) => s.theme)
  const systemDark = useMediaQuery(DARK_QUERY)
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice
}

/** Puts the theme in force on <html data-theme> (styles.css keys its colours on it); returns it. */
export function useAppliedTheme(): 'light' | 'dark' {
  const theme = useResolvedTheme()
  useEffect(() => {
    document.documentElement.dataset.theme = theme
    document.documentElement.style.colorScheme = theme // form controls and scrollbars follow
  }, [theme])
  return theme
}

/** Cycles the theme: as the system says → light → dark. */
export function ThemeToggle({ compact }: { compact: boolean }) {
  const choice = useLayout((s) => s.theme)
  const setTheme = useLayout((s) => s.setTheme)
  const { icon, text } = LABELS[choice]
  return (
    <button className="link theme-toggle" onClick={() => setTheme(NEXT[choice])} aria-label={`theme: ${text}`} title={`${text} (click for ${LABELS[NEXT[choice]].text.toLowerCase()})`}>
      <span aria-hidden="true">{icon}</span>
      {!compact && <span className="theme-text"> {text}</span>}
    </button>
  )
}
