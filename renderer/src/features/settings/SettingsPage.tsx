import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { SETTINGS_SECTIONS, useRoute, type SettingsSection } from '../../stores/route'
import { useSession } from '../../stores/session'
import { AccessKeys } from './AccessKeys'
import { ChangePassword } from './ChangePassword'
import { LinkisTokens } from './LinkisTokens'
import { NotificationSettings } from './NotificationSettings'
import { ServerSettings } from './ServerSettings'
import { UsersSection } from './UsersSection'

/** The element id of a Settings section's wrapper (its nav link's target, and where the focus goes). */
const sectionId = (section: SettingsSection) => `settings-${section}`

/** How long a jump keeps its section at the top while the sections above it load and grow (ms). */
const HOLD_MS = 1500

/**
 * Brings `section` to the top of the page and moves the focus to it (so the next Tab is in it),
 * then keeps it there while the cards above it finish loading and grow, until the user scrolls,
 * types or clicks, or HOLD_MS passes. `jump` changes on each jump, a repeat of the same one too.
 */
function useJumpToSection(section: SettingsSection | null, jump: number, page: React.RefObject<HTMLDivElement | null>): void {
  useEffect(() => {
    const target = section && document.getElementById(sectionId(section))
    if (!target || !page.current) return
    const place = () => target.scrollIntoView({ block: 'start' })
    place()
    target.focus({ preventScroll: true })
    const grow = new ResizeObserver(place)
    grow.observe(page.current)
    const stop = () => {
      grow.disconnect()
      clearTimeout(timer)
      for (const e of ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const) window.removeEventListener(e, stop, true)
    }
    const timer = setTimeout(stop, HOLD_MS)
    for (const e of ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const) window.addEventListener(e, stop, true)
    return stop
  }, [section, jump, page])
}

/** One section of the page, the target of its link in the section nav. */
function Section({ id, children }: { id: SettingsSection; children: ReactNode }) {
  return (
    <div id={sectionId(id)} className="settings-section" tabIndex={-1}>
      {children}
    </div>
  )
}

/**
 * Everyone: their own password, notifications and access keys. Admins: users, how the server is
 * exposed, Linkis tokens. A section nav at the top jumps to each (Users and Server sat below three
 * other cards, out of sight at 1024 and 1600 px); the URL keeps the section (`#/settings/users`).
 */
export function SettingsPage() {
  const user = useSession((s) => s.user)
  const section = useRoute((s) => s.settingsSection)
  const [usersSeen, setUsersSeen] = useState(0)
  const onUsersSeen = useCallback(() => setUsersSeen((n) => n + 1), [])
  const [jump, setJump] = useState(0)
  const page = useRef<HTMLDivElement>(null)
  useJumpToSection(section, jump, page)
  const shown = SETTINGS_SECTIONS.filter((s) => !('adminOnly' in s) || user?.isAdmin)
  return (
    <div className="page settings-page" ref={page}>
      <h1>Settings</h1>
      <nav className="settings-nav" aria-label="settings sections">
        {shown.map((s) => (
          <a
            key={s.id}
            href={`#/settings/${s.id}`}
            aria-current={s.id === section ? 'true' : undefined}
            onClick={(e) => {
              // the store writes the URL (url-sync); a second click on the same link jumps again
              e.preventDefault()
              useRoute.getState().setSettingsSection(s.id)
              setJump((n) => n + 1)
            }}
          >
            {s.label}
          </a>
        ))}
      </nav>
      <Section id="password">
        <ChangePassword title={`Password of ${user?.username ?? ''}`} />
      </Section>
      <Section id="notifications">
        <NotificationSettings />
      </Section>
      <Section id="access-keys">
        <AccessKeys isAdmin={user?.isAdmin ?? false} />
      </Section>
      {user?.isAdmin ? (
        <>
          <Section id="users">
            <UsersSection onSeen={onUsersSeen} />
          </Section>
          <Section id="server">
            <ServerSettings usersSeen={usersSeen} />
          </Section>
          <Section id="linkis">
            <LinkisTokens />
          </Section>
        </>
      ) : (
        <p className="muted">
          Server, user and Linkis settings are for admins. {user?.rights.includes('scripts') ? 'You may run shell and Python jobs.' : 'You may run SQL jobs; shell and Python need the scripts right from an admin.'}
        </p>
      )}
    </div>
  )
}
