import { cellText, caption } from './cypher-result'
import { useExplorer } from './explorer-store'
import { SafeText } from '../shell/SafeText'
import { LabelDot } from './LabelDot'

/** The selected node's or relationship's label, id and properties; a node's neighbours are added from here. */
export function ItemDetails() {
  const selected = useExplorer((s) => s.selected)
  const picture = useExplorer((s) => s.picture)
  const expanding = useExplorer((s) => s.expanding)
  const expand = useExplorer((s) => s.expand)
  const select = useExplorer((s) => s.select)
  if (!selected) return null
  const node = selected.kind === 'node' ? picture.nodes.find((n) => n.id === selected.id) : undefined
  const edge = selected.kind === 'edge' ? picture.edges.find((e) => e.key === selected.key) : undefined
  const item = node ?? edge
  if (!item) return null
  const properties = Object.entries(item.properties)
  return (
    <aside className="gx-details" aria-label={node ? 'node properties' : 'relationship properties'} data-testid="item-details">
      <div className="gx-details-head">
        <LabelDot label={item.label} />
        <strong>
          <SafeText text={item.label} />
        </strong>
        <span className="muted">{node ? `#${node.id}` : `#${edge!.src} → #${edge!.dst}`}</span>
        <span className="gx-spacer" />
        <button className="link" aria-label="close the details" onClick={() => select(null)}>
          ×
        </button>
      </div>
      {node && (
        <div className="gx-details-caption">
          <SafeText text={caption(node)} />
        </div>
      )}
      <table className="gx-props">
        <tbody>
          {properties.map(([k, v]) => (
            <tr key={k}>
              <th>
                <SafeText text={k} />
              </th>
              <td>{cellText(v) === null ? <span className="sc-null">NULL</span> : <SafeText text={cellText(v)} multiline />}</td>
            </tr>
          ))}
          {properties.length === 0 && (
            <tr>
              <td className="muted">no properties</td>
            </tr>
          )}
        </tbody>
      </table>
      {node && (
        <button onClick={() => void expand(node.id)} disabled={expanding.includes(node.id)} title="Add this node's neighbours to the picture (or double-click the node)">
          {expanding.includes(node.id) ? 'Expanding…' : 'Expand neighbours'}
        </button>
      )}
    </aside>
  )
}
