// Drives Debian's chromium (headless, through playwright-core) for tests/test_browser.py and
// prints, as JSON on stdout, what a person would see. The test decides what is right; this
// only acts and reports.
//
//   node drive.mjs PLAN_JSON
// PLAN_JSON: {"chromium": "/usr/bin/chromium", "profile": DIR, "base": "http://127.0.0.1:PORT/",
//             "query_page": {"path": "/sparql", "example": "allegiance_denials", "complete": [TEXT]},
//             "entity": {"path": "/page/X", "link": "Hamas"}, "probe": {"url": URL}}
// Every request the pages make is recorded; any to a host other than the server's is aborted
// (and reported), so the run never depends on the network.
import { chromium } from "playwright-core";

const plan = JSON.parse(process.argv[2]);
const base = new URL(plan.base);
const TIMEOUT = 20000;

// A fresh profile folder (the test's temporary directory) is --user-data-dir.
const context = await chromium.launchPersistentContext(plan.profile, {
  executablePath: plan.chromium,
  headless: true,
  timeout: TIMEOUT,
  serviceWorkers: "block",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    // Belt and braces: no host name resolves, so nothing can leave even unseen by the routes.
    `--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE ${base.hostname}`,
  ],
});
context.setDefaultTimeout(TIMEOUT);

async function session(work) {
  const requests = [];
  const offsite = [];
  const console_errors = [];
  const page = await context.newPage();
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || url.host === base.host) return route.continue();
    offsite.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") console_errors.push(message.text());
  });
  page.on("pageerror", (error) => console_errors.push(`uncaught: ${error.message}`));
  page.on("websocket", (socket) => offsite.push(socket.url()));
  try {
    const seen = await work(page);
    return { ...seen, requests, offsite, console_errors };
  } catch (error) {
    return { error: String(error), url: page.url(), requests, offsite, console_errors };
  } finally {
    await page.close();
  }
}

async function queryPage(page, step) {
  const response = await page.goto(new URL(step.path, base).href, { waitUntil: "load" });
  const seen = {
    status: response.status(),
    content_type: response.headers()["content-type"],
    h1: (await page.locator("h1").first().textContent()).trim(),
  };
  await page.locator(".yasqe .CodeMirror").first().waitFor();
  const tabName = (text) => text.replace(/\u2716/g, "").trim(); // a tab's text ends in its close button
  seen.tabs = (await page.locator(".tabsList .tab").allTextContents()).map(tabName);
  // Pick the question from the page's list, as a person would.
  await page.locator(`#examples a[data-example="${step.example}"]`).click();
  seen.active_tab = tabName(await page.locator(".tabsList .tab.active").textContent());
  const panel = page.locator(".tabPanel.active");
  seen.editor = await panel.locator(".CodeMirror").evaluate((el) => el.CodeMirror.getValue());
  await panel.locator(".yasqe_queryButton").click();
  const table = panel.locator(".yasr table.dataTable");
  await table.locator("tbody tr").first().waitFor();
  seen.columns = (await table.locator("thead th").allTextContents()).map((t) => t.trim());
  seen.rows = await table.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent.trim())));
  // Ask the editor to complete each text (Ctrl-Space at its end): what it offers, and any
  // request that makes, is reported.
  seen.hints = [];
  const editor = panel.locator(".CodeMirror");
  for (const text of step.complete || []) {
    await editor.evaluate((el, value) => {
      const cm = el.CodeMirror;
      if (cm.state.completionActive) cm.state.completionActive.close();
      cm.setValue(value);
      cm.focus();
      cm.setCursor(cm.lineCount(), 0);
    }, text);
    await page.keyboard.press("Control+Space");
    // Hints come at once from what the page has; a second covers a busy machine, and any
    // request a completer makes has started by then.
    await page.locator(".CodeMirror-hints li").first().waitFor({ timeout: 1000 }).catch(() => null);
    seen.hints.push(await page.locator(".CodeMirror-hints li").allTextContents());
  }
  return seen;
}

async function entityPage(page, step) {
  await page.goto(new URL(step.path, base).href, { waitUntil: "load" });
  const seen = { start_url: page.url(), h1: (await page.locator("h1").first().textContent()).trim() };
  seen.home_links = await page.locator('a[href="/"]').count();
  const link = page.getByRole("link", { name: step.link, exact: true }).first();
  seen.link_href = await link.getAttribute("href");
  await Promise.all([page.waitForURL((url) => url.href !== seen.start_url), link.click()]);
  await page.waitForLoadState("load");
  seen.after_url = page.url();
  seen.after_title = await page.title();
  seen.after_h1 = (await page.locator("h1").first().textContent()).trim();
  return seen;
}

// Checks the checker: the page asks another host, which must be recorded (and blocked).
async function probe(page, step) {
  await page.goto(base.href, { waitUntil: "load" });
  await page.evaluate((url) => fetch(url, { mode: "no-cors" }).catch(() => null), step.url);
  return {};
}

const out = {};
try {
  if (plan.query_page) out.query_page = await session((page) => queryPage(page, plan.query_page));
  if (plan.entity) out.entity = await session((page) => entityPage(page, plan.entity));
  if (plan.probe) out.probe = await session((page) => probe(page, plan.probe));
} finally {
  await context.close();
}
process.stdout.write(JSON.stringify(out));
