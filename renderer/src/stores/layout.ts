import { create } from 'zustand'
import { persist } from 'zustand/middleware'

/** Light, dark, or as the system says (prefers-color-scheme). */
export type ThemeChoice = 'system' | 'light' | 'dark'
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark']

/**
 * Windows this narrow show the Workflows page's list as a drawer over the editor, not as a column
 * (workflows.css has the same width): it opens on demand and starts closed, but the first time the
 * page is shown with nothing open (WorkflowsPage).
 */
export const WORKFLOW_DRAWER_QUERY = '(max-width: 1200px)'

interface LayoutState {
  /** The main sidebar shows icons only. */
  sidebarCollapsed: boolean
  /** The Workflows page's descriptor list is folded to a rail (as a column, in a wide window). */
  workflowListCollapsed: boolean
  /**
   * The list's drawer is open over the editor (in a narrow window). Not kept: a page opened narrow,
   * or a window narrowed, starts with it closed (it covered the editor, open as the column had been).
   */
  workflowDrawerOpen: boolean
  /**
   * The Workflows page has been shown (kept): its drawer opens by itself only the first time, when
   * nothing is open, so a new user sees the list, and not on every return or reload after.
   */
  workflowPageSeen: boolean
  /** The Workflows page's run/task panel is folded to a rail. */
  workflowPanelCollapsed: boolean
  /** The Scripts page's variables-and-history panel is folded to a rail. */
  scriptsSideCollapsed: boolean
  theme: ThemeChoice
  toggleSidebar(): void
  toggleScriptsSide(): void
  toggleWorkflowList(): void
  setWorkflowDrawer(open: boolean): void
  /** Marks the Workflows page seen; answers whether it had been (see workflowPageSeen). */
  seeWorkflowPage(): boolean
  toggleWorkflowPanel(): void
  setTheme(theme: ThemeChoice): void
}

/** The user's layout choices (folded panels, theme), kept in localStorage like an IDE's. */
export const useLayout = create<LayoutState>()(
  persist(
    (set, get) => ({
      sidebarCollapsed: false,
      workflowListCollapsed: false,
      workflowDrawerOpen: false,
      workflowPageSeen: false,
      workflowPanelCollapsed: false,
      scriptsSideCollapsed: false,
      theme: 'system',
      toggleSidebar: () => set({ sidebarCollapsed: !get().sidebarCollapsed }),
      toggleWorkflowList: () => set({ workflowListCollapsed: !get().workflowListCollapsed }),
      setWorkflowDrawer: (open) => set({ workflowDrawerOpen: open }),
      seeWorkflowPage: () => {
        const seen = get().workflowPageSeen
        if (!seen) set({ workflowPageSeen: true })
        return seen
      },
      toggleWorkflowPanel: () => set({ workflowPanelCollapsed: !get().workflowPanelCollapsed }),
      toggleScriptsSide: () => set({ scriptsSideCollapsed: !get().scriptsSideCollapsed }),
      setTheme: (theme) => set({ theme: THEME_CHOICES.includes(theme) ? theme : 'system' }),
    }),
    {
      name: 'jobdesk.layout',
      version: 1,
      partialize: (s) => ({ sidebarCollapsed: s.sidebarCollapsed, workflowListCollapsed: s.workflowListCollapsed, workflowPanelCollapsed: s.workflowPanelCollapsed, scriptsSideCollapsed: s.scriptsSideCollapsed, workflowPageSeen: s.workflowPageSeen, theme: s.theme }),
      merge: (kept, current) => {
        const k = (kept ?? {}) as Partial<Record<string, unknown>>
        const flag = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d)
        return {
          ...current,
          sidebarCollapsed: flag(k.sidebarCollapsed, current.sidebarCollapsed),
          workflowListCollapsed: flag(k.workflowListCollapsed, current.workflowListCollapsed),
          workflowPanelCollapsed: flag(k.workflowPanelCollapsed, current.workflowPanelCollapsed),
          scriptsSideCollapsed: flag(k.scriptsSideCollapsed, current.scriptsSideCollapsed),
          workflowPageSeen: flag(k.workflowPageSeen, current.workflowPageSeen),
          theme: THEME_CHOICES.includes(k.theme as ThemeChoice) ? (k.theme as ThemeChoice) : current.theme,
        }
      },
    },
  ),
)
