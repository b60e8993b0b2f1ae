// Copying a short URL. navigator.clipboard exists only in secure contexts (https, or localhost);
// hop is often reached over plain http on a LAN address, where the old execCommand path still works.

async function writeText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('copy refused');
}

// Copies `text` and says so in `statusEl` (a role="status" element) for a moment.
export async function copyWithFeedback(text, statusEl) {
  try {
    await writeText(text);
    statusEl.textContent = 'Copied';
  } catch {
    statusEl.textContent = 'Copy failed: select the link and copy it yourself';
  }
  clearTimeout(statusEl.hopTimer);
  statusEl.hopTimer = setTimeout(() => { statusEl.textContent = ''; }, 2500);
}
