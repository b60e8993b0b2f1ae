// QR codes from GET /api/v1/links/{code}/qr. That call needs the API key in a header, which an
// <img src> or a plain download link cannot send, so the image is fetched and shown or saved
// through a blob: URL (allowed by the page's Content-Security-Policy).

import { apiBlob, linkPath } from './api.js';

// Shows the code's QR in `img`, releasing the blob of the one it showed before.
export async function showQr(img, code, shortUrl) {
  const blob = await apiBlob(`${linkPath(code)}/qr?format=svg&size=${img.width}`);
  if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
  img.src = URL.createObjectURL(blob);
  img.alt = `QR code for ${shortUrl}`;
}

// Saves the QR as `<code>.svg` or `<code>.png` (PNG at 1024 pixels, enough for print).
export async function downloadQr(code, format) {
  const size = format === 'png' ? 1024 : 512;
  const blob = await apiBlob(`${linkPath(code)}/qr?format=${format}&size=${size}`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${code}.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  // Browsers start the download asynchronously; the blob is released once it surely has begun.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

// Wires two buttons to downloadQr; a failure is shown through `onError`.
export function wireQrDownloads(svgButton, pngButton, code, onError) {
  svgButton.addEventListener('click', () => downloadQr(code, 'svg').catch(onError));
  pngButton.addEventListener('click', () => downloadQr(code, 'png').catch(onError));
}
