// A modal yes/no question (<dialog id="confirm-dialog">): focus moves into it, Escape cancels.

export function confirmAction({ heading, text, confirmLabel }) {
  const dialog = document.getElementById('confirm-dialog');
  dialog.querySelector('#confirm-heading').textContent = heading;
  dialog.querySelector('#confirm-text').textContent = text;
  dialog.querySelector('[data-ref="confirm"]').textContent = confirmLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
  });
}
