// The Imports page's guess of an edge file's endpoints (newuser18): a person file and the links
// between those people, dropped together into a graph that already had another vertex label, linked
// the edges to that older label, whose vertices had the same keys: 3 edges imported between the wrong
// vertices and no word of it.
import { beforeAll, describe, expect, it } from 'vitest'
import { endpointLabels, newFileDraft } from '../../renderer/src/features/imports/mapping'
import { useImports } from '../../renderer/src/stores/imports'
import type { TestApp } from '../support/app'
import { rendererAppSuite } from '../support/renderer-app'

const suite = rendererAppSuite()
let t: TestApp
beforeAll(() => ({ t } = suite))

describe('an edge file’s From and To', () => {
  it('default to the vertex label this import’s own vertex file loads, not an older label of the graph', async () => {
    const schema = await t.call('POST', '/api/v1/graphs/default/schema', {
      schema: [{ label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }],
    })
    expect(schema.status).toBe(200)
    const imports = useImports.getState()
    await imports.load()
    await imports.addFiles([new File(['id,name\n1,Ann\n2,Bob\n'], 'city_people.csv'), new File(['src,dst,weight\n1,2,1.0\n'], 'city_links.csv')])
    const links = useImports.getState().files.find((f) => f.path === 'city_links.csv')!
    expect(links.kind).toBe('edge')
    expect([links.src, links.dst]).toEqual(['city_people', 'city_people']) // was: person, person
  })

  it('follow the vertex file when the edge file came first (a file picker lists links.csv before people.csv), unless the user chose them', async () => {
    const imports = useImports.getState()
    imports.reset()
    await imports.addFiles([new File(['src,dst\n1,2\n'], 'a_links.csv'), new File(['id,name\n1,Ann\n2,Bob\n'], 'b_people.csv')])
    const links = () => useImports.getState().files.find((f) => f.path === 'a_links.csv')!
    expect([links().src, links().dst]).toEqual(['b_people', 'b_people']) // was: person, person, guessed before b_people was read

    // chosen by the user, they stay when another vertex file comes
    imports.setDraft('a_links.csv', { src: 'person', dst: 'person' })
    await imports.addFiles([new File(['id\n7\n'], 'c_places.csv')])
    expect([links().src, links().dst]).toEqual(['person', 'person'])
  })

  it('offer this import’s vertex labels first, each once, then the graph’s', () => {
    const vertexFile = { ...newFileDraft('p.csv', 1, 'uploaded'), kind: 'vertex' as const, label: 'person' }
    const edgeFile = { ...newFileDraft('e.csv', 1, 'uploaded'), kind: 'edge' as const, label: 'knows' }
    const unnamed = newFileDraft('x.csv', 1, 'uploaded') // not previewed yet: no label
    const known = [
      { label: 'city', type: 'VERTEX' as const, primary: 'id', properties: [] },
      { label: 'person', type: 'VERTEX' as const, primary: 'id', properties: [] },
      { label: 'road', type: 'EDGE' as const, properties: [], constraints: [] },
    ]
    expect(endpointLabels([edgeFile, unnamed, vertexFile], known)).toEqual(['person', 'city'])
  })
})
