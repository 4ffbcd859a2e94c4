import type { PageId } from '../../stores/route'

const PATHS: Record<PageId, string> = {
  jobs: 'M4 6h16M4 12h16M4 18h10', // a list
  scripts: 'M5 7l5 5-5 5M12 18h7', // a prompt
  workflows: 'M6 5h4v4H6zM14 15h4v4h-4zM8 9v3a2 2 0 0 0 2 2h6v1', // two linked nodes
  imports: 'M12 4v11M7 10l5 5 5-5M5 20h14', // arrow into a tray
  graph: 'M6 6l12 4M6 6l4 12M18 10l-8 8', // a triangle of edges
  settings: 'M4 7h10M18 7h2M4 17h2M10 17h10M14 5v4M6 15v4', // sliders
}

/** The sidebar's page icons (stroked 24×24 paths), shown alone when the sidebar is folded. */
export function PageIcon({ page }: { page: PageId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[page]} />
      {page === 'graph' && (
        <>
          <circle cx="6" cy="6" r="2" fill="currentColor" />
          <circle cx="18" cy="10" r="2" fill="currentColor" />
          <circle cx="10" cy="18" r="2" fill="currentColor" />
        </>
      )}
    </svg>
  )
}

/** "Sign out" for the folded sidebar: a door with an arrow leaving it (stroked 24×24, as the page icons). */
export function SignOutIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M10 4H5v16h5M14 8l4 4-4 4M18 12H9" />
    </svg>
  )
}
