import { useEffect, useState } from 'react'

/** Whether a CSS media query matches (`(max-width: 1200px)`, `(prefers-color-scheme: dark)`), following changes. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches)
  useEffect(() => {
    const list = matchMedia(query)
    const onChange = () => setMatches(list.matches)
    onChange() // the query changed, or the window did before this ran
    list.addEventListener('change', onChange)
    return () => list.removeEventListener('change', onChange)
  }, [query])
  return matches
}
