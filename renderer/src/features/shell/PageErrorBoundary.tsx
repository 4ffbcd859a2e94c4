import { Component, type ErrorInfo, type ReactNode } from 'react'
import { SafeText } from './SafeText'

/**
 * Around one page of the shell: an error thrown while the page renders (data of a shape the page did
 * not expect, as a GES import's report once was, #9 gesreport) shows what failed, on which page, and
 * a way back, instead of React unmounting the whole window to a blank white page that a reload kept.
 * `page`: the page's name as the sidebar says it. `onBack`: leaves for the Jobs page (none on the Jobs
 * page itself: Try again is its way back). The shell keys it by page, so another page starts without
 * the error.
 */
export class PageErrorBoundary extends Component<{ page: string; onBack?: () => void; children: ReactNode }, { error: Error | null }> {
  state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    // the console keeps the component stack for a bug report; the page shows the message
    console.error(`the ${this.props.page} page failed`, error, info.componentStack)
  }

  render(): ReactNode {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <section className="card page-error" role="alert" data-testid="page-error">
        <h2>The {this.props.page} page could not be shown</h2>
        <p>
          It failed while drawing: <code><SafeText text={error.message} /></code>
        </p>
        <p className="muted">Nothing was lost: jobs and imports go on. Try again{this.props.onBack ? ', or go back to the Jobs page' : ''}.</p>
        <div className="im-row">
          <button onClick={() => this.setState({ error: null })}>Try again</button>
          {this.props.onBack && (
            <button className="primary" onClick={this.props.onBack}>
              Back to Jobs
            </button>
          )}
        </div>
      </section>
    )
  }
}
