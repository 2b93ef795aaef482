// Drives VS Code (code-server) in headless Chromium through the extension's build commands
// against the real envbuilder server. Started by scripts/ui-test.sh, which sets:
//   PLAYWRIGHT_CORE  path of the playwright-core package
//   CS_URL           code-server URL with ?folder=WORKSPACE
//   WORKSPACE        the workspace folder (a copy of examples/hello plus slow.Dockerfile)
//   SHOTS            where screenshots go
// Prints one "ok"/"FAIL" line per step and a closing "N passed, N failed" line.
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const url = process.env.CS_URL;
const workspace = process.env.WORKSPACE;
const shots = process.env.SHOTS;
if (!url || !workspace || !shots) throw new Error('CS_URL, WORKSPACE and SHOTS must be set');
require('fs').mkdirSync(shots, { recursive: true });
const wsUri = `file://${workspace}`;
let passed = 0;

async function step(name, fn) {
  const t = Date.now();
  try {
    const r = await fn();
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
    passed++;
    return r;
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
    throw e;
  }
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30000);
  let failed = false;
  try {
    await step('workbench loads', async () => {
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    });
    await step('the server reports an error in an open Dockerfile', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.Dockerfile' }).first().click();
      await page.waitForSelector('[id="status.problems"] [aria-label="Errors: 1"]', { timeout: 60000 });
      await page.waitForSelector('.editor-actions [aria-label="Envbuilder: Build"]');
    });
    await step('open .devcontainer/devcontainer.json', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.devcontainer' }).first().click();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'devcontainer.json' }).first().click();
      await page.waitForSelector('.editor-instance .monaco-editor .view-lines');
      const mode = await page.locator('.statusbar-item[id="status.editor.mode"]').innerText();
      if (!/JSON with Comments/.test(mode)) throw new Error(`language mode is ${mode}`);
    });
    await step('editor title has the Build, Build and Push buttons', async () => {
      await page.waitForSelector('.editor-actions [aria-label="Envbuilder: Build"]', { timeout: 60000 });
      await page.waitForSelector('.editor-actions [aria-label="Envbuilder: Build and Push"]');
      await page.screenshot({ path: `${shots}/1-editor.png` });
    });
    await step('Build from the editor title: progress notification, then the digest', async () => {
      await page.locator('.editor-actions [aria-label="Envbuilder: Build"]').click();
      await page.waitForSelector('.notifications-toasts .notification-toast', { timeout: 30000 });
      await page.screenshot({ path: `${shots}/2-progress.png` });
      const done = page.locator('.notifications-toasts .notification-list-item-message', { hasText: /Envbuilder: (built|(?!Build ))/ });
      await done.first().waitFor({ timeout: 240000 });
      await page.screenshot({ path: `${shots}/3-result.png` });
      const text = await done.first().innerText();
      console.log(`     result: ${text}`);
      if (!/built .*sha256:/.test(text)) throw new Error(`build did not succeed: ${text}`);
    });
    await step('the Envbuilder Build output channel has the log', async () => {
      const wants = [`--- Build ${wsUri}/.devcontainer/devcontainer.json`, 'Envbuilder: built sha256:', '--- Envbuilder: built devcontainer.json'];
      let panelText = '';
      for (let i = 0; i < 100; i++) {
        panelText = (await page.locator('.part.panel .view-line').allTextContents()).join('\n').replace(/\u00a0/g, ' ');
        if (wants.every(w => panelText.includes(w))) return;
        await page.waitForTimeout(100);
      }
      throw new Error(`output panel: ${panelText.slice(0, 400)}`);
    });
    await step('explorer context menu of slow.Dockerfile offers the commands; build it and cancel', async () => {
      // Clear notifications so the next result is unambiguous.
      await page.keyboard.press('Escape');
      for (const close of await page.locator('.notifications-toasts .codicon-notifications-clear, .notifications-toasts .codicon-close').all()) {
        await close.click().catch(() => undefined);
      }
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'slow.Dockerfile' }).first();
      await row.click({ button: 'right' });
      const item = page.locator('.context-view .action-item', { hasText: 'Envbuilder: Build' }).first();
      await item.waitFor();
      await page.screenshot({ path: `${shots}/4-context-menu.png` });
      await item.click();
      const progress = page.locator('.notifications-toasts .notification-toast', { hasText: 'slow.Dockerfile' }).first();
      await progress.waitFor({ timeout: 30000 });
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'RUN sleep' }).first().waitFor({ timeout: 120000 });
      await page.screenshot({ path: `${shots}/5-slow-progress.png` });
      await progress.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
      await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Envbuilder: build cancelled' }).first().waitFor({ timeout: 60000 });
      await page.screenshot({ path: `${shots}/6-cancelled.png` });
    });
  } catch (e) {
    failed = true;
    await page.screenshot({ path: `${shots}/failure.png` }).catch(() => undefined);
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed ? 1 : 0} failed`);
  process.exit(failed ? 1 : 0);
})();
