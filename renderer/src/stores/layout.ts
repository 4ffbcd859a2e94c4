import { create } from 'zustand'
import { persist } from 'zustand/middleware'

/** Light, dark, or as the system says (prefers-color-scheme). */
export type ThemeChoice = 'system' | 'light' | 'dark'
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark']

/** Below this window width the workflow list starts folded (the editor needs the room). */
const NARROW_PX = 1100

interface LayoutState {
  /** The main sidebar shows icons only. */
  sidebarCollapsed: boolean
  /** The Workflows page's descriptor list is folded to a rail. */
  workflowListCollapsed: boolean
  /** The Workflows page's run/task panel is folded to a rail. */
  workflowPanelCollapsed: boolean
  /** The Scripts page's variables-and-history panel is folded to a rail. */
  scriptsSideCollapsed: boolean
  theme: ThemeChoice
  toggleSidebar(): void
  toggleScriptsSide(): void
  toggleWorkflowList(): void
  toggleWorkflowPanel(): void
  setTheme(theme: ThemeChoice): void
}

/** The user's layout choices (folded panels, theme), kept in localStorage like an IDE's. */
export const useLayout = create<LayoutState>()(
  persist(
    (set, get) => ({
      sidebarCollapsed: false,
      workflowListCollapsed: typeof innerWidth === 'number' && innerWidth < NARROW_PX,
      workflowPanelCollapsed: false,
      scriptsSideCollapsed: false,
      theme: 'system',
      toggleSidebar: () => set({ sidebarCollapsed: !get().sidebarCollapsed }),
      toggleWorkflowList: () => set({ workflowListCollapsed: !get().workflowListCollapsed }),
      toggleWorkflowPanel: () => set({ workflowPanelCollapsed: !get().workflowPanelCollapsed }),
      toggleScriptsSide: () => set({ scriptsSideCollapsed: !get().scriptsSideCollapsed }),
      setTheme: (theme) => set({ theme: THEME_CHOICES.includes(theme) ? theme : 'system' }),
    }),
    {
      name: 'jobdesk.layout',
      version: 1,
      partialize: (s) => ({ sidebarCollapsed: s.sidebarCollapsed, workflowListCollapsed: s.workflowListCollapsed, workflowPanelCollapsed: s.workflowPanelCollapsed, scriptsSideCollapsed: s.scriptsSideCollapsed, theme: s.theme }),
      merge: (kept, current) => {
        const k = (kept ?? {}) as Partial<Record<string, unknown>>
        const flag = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d)
        return {
          ...current,
          sidebarCollapsed: flag(k.sidebarCollapsed, current.sidebarCollapsed),
          workflowListCollapsed: flag(k.workflowListCollapsed, current.workflowListCollapsed),
          workflowPanelCollapsed: flag(k.workflowPanelCollapsed, current.workflowPanelCollapsed),
          scriptsSideCollapsed: flag(k.scriptsSideCollapsed, current.scriptsSideCollapsed),
          theme: THEME_CHOICES.includes(k.theme as ThemeChoice) ? (k.theme as ThemeChoice) : current.theme,
        }
      },
    },
  ),
)
