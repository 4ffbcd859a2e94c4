import { labelColour } from './cypher-result'

/** A label's colour as a dot (the picture's nodes of that label have it). */
export function LabelDot({ label }: { label: string }) {
  return <span className="gx-dot" style={{ background: labelColour(label) }} aria-hidden="true" />
}
