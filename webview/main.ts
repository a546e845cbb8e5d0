// The webview's entry point; the ELF view arrives with "The extension, part 1".
const root = document.getElementById('root');
if (root) root.textContent = 'Address Space Explorer';
