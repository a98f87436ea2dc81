/** Browser-side file helpers: reading an upload as base64 for the API, offering bytes as a download. */

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  // Chunked so large files do not overflow the argument list of fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

export async function fileToBase64(file: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

/** A picked certificate or key file as the APIs take it: PEM as text, anything else (a PFX) as base64. */
export async function certificateText(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  return text.includes('-----BEGIN') ? text : bytesToBase64(bytes);
}

function base64ToBytes(data: string): Uint8Array<ArrayBuffer> {
  const bin = atob(data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Starts a download of the given content (base64 bytes or text) under fileName. */
export function download(fileName: string, content: { base64: string } | { text: string }, type = 'application/octet-stream'): void {
  const blob = 'base64' in content ? new Blob([base64ToBytes(content.base64)], { type }) : new Blob([content.text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
