// The watch page's "Copy" buttons (bundled by guide/scripts.ts as watch.js). Each button names the read-only input
// whose address it copies (data-copy-target); its labels for "Copied" and for failure come from data attributes, so
// the script holds no words of its own. Without this script the buttons stay hidden and the inputs can be selected.
// It makes no requests.

const RESET_MS = 2500;

async function writeClipboard(input: HTMLInputElement): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(input.value);
      return true;
    }
  } catch {
    // Refused (no permission, not a secure context): fall back to selecting the text.
  }
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

function setup(button: HTMLButtonElement): void {
  const target = document.getElementById(button.dataset.copyTarget ?? '');
  if (!(target instanceof HTMLInputElement)) return;
  const label = button.textContent ?? '';
  const status = document.getElementById(button.dataset.copyStatus ?? '');
  let timer: ReturnType<typeof setTimeout> | undefined;
  button.hidden = false;
  button.addEventListener('click', () => {
    void writeClipboard(target).then((ok) => {
      const text = ok ? (button.dataset.copied ?? 'Copied') : (button.dataset.failed ?? 'Press Ctrl+C to copy');
      button.textContent = text;
      button.dataset.state = ok ? 'copied' : 'failed';
      if (status) status.textContent = text;
      if (!ok) {
        target.focus();
        target.select();
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        button.textContent = label;
        delete button.dataset.state;
      }, RESET_MS);
    });
  });
}

document.querySelectorAll<HTMLInputElement>('input[data-copy-field]').forEach((input) => {
  // Clicking into an address selects all of it.
  input.addEventListener('focus', () => input.select());
});
document.querySelectorAll<HTMLButtonElement>('button[data-copy-target]').forEach(setup);
