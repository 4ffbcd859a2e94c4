/**
 * Saves text as a file through a Blob and a temporary link (works in the browser and in Electron,
 * which shows its save dialog). A byte-order mark lets Excel read UTF-8 CSV correctly (CSV only).
 */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(type.startsWith('text/csv') ? ['\uFEFF', text] : [text], { type }))
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
