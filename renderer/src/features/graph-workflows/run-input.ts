// A graph workflow run's input (Explorer's `input` of POST workflows/{id}/jobs): the values of the
// query components' custom parameters that no wire gives. The canvas asks for them before a run
// when one has no default (the server would refuse the run), as Explorer's run dialog does.
import type { ParamValue } from '../../../../shared/algorithms'
import { componentName, wiresInto, type GraphWorkflowDocument, type GraphWorkflowRunInput, type QueryParamType } from '../../../../shared/graph-workflows'

/** A parameter a run's input may set: `$name` of a query component, not wired. */
export interface RunInputField {
  /** `component.name`: the field's key in the dialog's texts and errors. */
  key: string
  component: string
  /** The component as the canvas names it. */
  componentName: string
  name: string
  type: QueryParamType
  default?: ParamValue
}

/** The unwired custom parameters of the document's query components, in canvas order. */
export function runInputFields(doc: GraphWorkflowDocument): RunInputField[] {
  return doc.components.flatMap((c) => {
    if (c.kind !== 'query') return []
    const wired = wiresInto(doc, c.id)
    return (c.params ?? [])
      .filter((p) => !wired.has(p.name))
      .map((p) => ({ key: `${c.id}.${p.name}`, component: c.id, componentName: componentName(c), name: p.name, type: p.type, ...(p.default === undefined ? {} : { default: p.default }) }))
  })
}

/** Whether a run needs to ask: some parameter has neither a wire nor a default. */
export const needsRunInput = (fields: readonly RunInputField[]): boolean => fields.some((f) => f.default === undefined)

/** The dialog's starting texts: each default as typed. */
export const initialTexts = (fields: readonly RunInputField[]): Record<string, string> => Object.fromEntries(fields.map((f) => [f.key, f.default === undefined ? '' : String(f.default)]))

const INT = /^[+-]?\d{1,15}$/

/**
 * The run's input from the dialog's texts, checked against each parameter's type: `int` whole
 * numbers (15 digits at most), `float` finite numbers, `bool` true/false, `string` as typed. An
 * empty field takes its default, and is an error without one. Returns the input (only the values
 * given, by component id) and the problems by field key; the input is to be sent only when there
 * are none.
 */
export function runInputOf(fields: readonly RunInputField[], texts: Readonly<Record<string, string>>): { input: GraphWorkflowRunInput; errors: Record<string, string> } {
  const input: GraphWorkflowRunInput = {}
  const errors: Record<string, string> = {}
  for (const f of fields) {
    const raw = texts[f.key] ?? ''
    const t = raw.trim()
    let value: ParamValue | undefined
    if (t === '' && (f.type !== 'string' || raw === '')) {
      if (f.default === undefined) errors[f.key] = `${f.name} needs a value`
      continue
    }
    if (f.type === 'int') {
      if (INT.test(t)) value = Number(t)
      else errors[f.key] = `${f.name} must be a whole number`
    } else if (f.type === 'float') {
      if (Number.isFinite(Number(t))) value = Number(t)
      else errors[f.key] = `${f.name} must be a number`
    } else if (f.type === 'bool') {
      if (t === 'true' || t === 'false') value = t === 'true'
      else errors[f.key] = `${f.name} must be true or false`
    } else value = raw
    if (value !== undefined) input[f.component] = { ...input[f.component], [f.name]: value }
  }
  return { input, errors }
}
