/** Saves a Blob as a file through a temporary link (works in the browser and in Electron, which shows its save dialog). */
function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has taken the data by the next task; the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Saves text as a file. A byte-order mark lets Excel read UTF-8 CSV correctly (CSV only). */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  saveBlob(fileName, new Blob(type.startsWith('text/csv') ? ['\uFEFF', text] : [text], { type }))
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Saves base64-encoded bytes (an .xlsx workbook) as a file. */
export function downloadBase64(fileName: string, base64: string, type: string): void {
  saveBlob(fileName, new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type }))
}
