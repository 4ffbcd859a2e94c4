import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // index: the Electron entry; serve: the same app headless (npm run serve), no electron import.
        // sql-worker: a child process (SQL script jobs; child-process.ts); export-worker, result-query-worker,
        // descriptor-worker, mapping-worker, json-worker: worker threads (result set exports, sorted or filtered pages of big
        // result sets, long Rill Flow descriptors, long mapping dry runs, long JSON bodies); all loaded by file path at run time.
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          serve: resolve(__dirname, 'electron/serve.ts'),
          'sql-worker': resolve(__dirname, 'electron/executors/sql-worker.ts'),
          'export-worker': resolve(__dirname, 'electron/services/export/export-worker.ts'),
          'result-query-worker': resolve(__dirname, 'electron/services/result-query-worker.ts'),
          'descriptor-worker': resolve(__dirname, 'electron/services/descriptor-worker.ts'),
          'mapping-worker': resolve(__dirname, 'electron/services/mapping-worker.ts'),
          'json-worker': resolve(__dirname, 'electron/services/json-worker.ts'),
          // ges-view-worker, linkis-history-worker: job lists of jobs with large stored inputs or reports (http/view-workers.ts).
          'ges-view-worker': resolve(__dirname, 'electron/http/dialects/ges/ges-view-worker.ts'),
          'linkis-history-worker': resolve(__dirname, 'electron/http/dialects/linkis/linkis-history-worker.ts'),
          // checkpoint-worker: the store's WAL checkpoints, off the main thread (store/checkpointer.ts).
          'checkpoint-worker': resolve(__dirname, 'electron/store/checkpoint-worker.ts'),
          // value-worker: a finished job's large stored value read whole, off the main thread (store/value-reader.ts).
          'value-worker': resolve(__dirname, 'electron/store/value-worker.ts'),
          // scratch-tables-child: a child process (a user's scratch database's table list, its memory bounded: services/scratch-tables.ts).
          'scratch-tables-child': resolve(__dirname, 'electron/services/scratch-tables-child.ts'),
          // file-md5-worker: the md5 of an uploaded file (TuGraph's check_file), off the main thread (graph/upload-files.ts).
          'file-md5-worker': resolve(__dirname, 'electron/graph/file-md5-worker.ts'),
          // graph-worker: graph files are read and written only in these threads (electron/graph/README.md).
          'graph-worker': resolve(__dirname, 'electron/graph/worker/graph-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }, // a sandboxed preload must be CommonJS
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
    plugins: [react()],
  },
})
