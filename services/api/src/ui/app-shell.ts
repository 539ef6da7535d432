/**
 * The web UI's entry page. It holds no data: the page asks for a token and
 * keeps it in sessionStorage (never in a URL), then calls the same API.
 */
export const appShellHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clearance</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f8fa; }
  header { background: #0b3d60; color: #fff; padding: 0.75rem 1.5rem; display: flex; justify-content: space-between; }
  main { max-width: 40rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 6px; border: 1px solid #d0d7de; }
  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  input { width: 100%; padding: 0.5rem; font-size: 1rem; box-sizing: border-box; }
  button { margin-top: 1rem; padding: 0.5rem 1rem; font-size: 1rem; background: #0b3d60; color: #fff; border: 0; border-radius: 4px; }
  button:focus, input:focus { outline: 3px solid #f0b400; }
</style>
</head>
<body>
<header><strong>Clearance</strong><span id="who" aria-live="polite"></span></header>
<main>
  <h1>Sign in</h1>
  <form id="sign-in">
    <label for="token">API token</label>
    <input id="token" name="token" type="password" autocomplete="off" required>
    <button type="submit">Sign in</button>
  </form>
  <p id="status" role="status"></p>
</main>
<script type="module" src="/ui/app.js"></script>
</body>
</html>
`;

/** Served as a file so the Content-Security-Policy can forbid inline scripts. */
export const appShellScript = `
  const status = document.getElementById('status');
  async function whoAmI(token) {
    const response = await fetch('/me', { headers: { authorization: 'Bearer ' + token } });
    if (!response.ok) throw new Error((await response.json()).error.message);
    return response.json();
  }
  async function show(token) {
    const me = await whoAmI(token);
    document.getElementById('who').textContent = me.user + ' (' + me.roles.join(', ') + ')';
    status.textContent = 'Signed in.';
  }
  document.getElementById('sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = document.getElementById('token').value.trim();
    try {
      await show(token);
      sessionStorage.setItem('clearance.token', token);
    } catch (error) {
      status.textContent = 'Sign-in failed: ' + error.message;
    }
  });
  const saved = sessionStorage.getItem('clearance.token');
  if (saved) show(saved).catch(() => sessionStorage.removeItem('clearance.token'));
`;
