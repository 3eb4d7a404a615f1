// The `whosaid --format html` page in headless Chromium, checked through the DOM
// against the JSON Lines output of the same run. Run by scripts/browser-test.sh:
//   node tests/browser/test.mjs WORK_DIR [SCREENSHOT_DIR]
// (no SCREENSHOT_DIR: no screenshots)
// WORK_DIR holds seed.html/seed.jsonl (one document) and seeds.html/seeds.jsonl (seeds/).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [work, shots] = process.argv.slice(2);
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) {
    failures.push(what);
    console.error("FAIL " + what);
  }
}
const records = (name) =>
  fs.readFileSync(path.join(work, name), "utf8").trim().split("\n").map((l) => JSON.parse(l));
const chars = (s) => Array.from(s).length;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // playwright-core gives each launch a fresh profile (its own --user-data-dir)
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
  ],
});

/** A page opened on `file` with every request off the file itself refused and counted. */
async function open(file, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const url = pathToFileURL(path.join(work, file)).href;
  const requests = [];
  const errors = [];
  await context.route("**/*", (route) => {
    if (route.request().url().split("#")[0] === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  return { context, page, requests, errors };
}

/** Everything a document's article shows, read from the DOM. */
function readArticle(article) {
  const text = article.querySelector(".doc-text");
  // character (code point) offsets of every element in the text, as the JSON counts them
  const offsets = new Map();
  let at = 0;
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      at += Array.from(node.data).length;
      return;
    }
    const start = at;
    node.childNodes.forEach(walk);
    offsets.set(node, [start, at]);
  };
  walk(text);
  const spans = (selector) =>
    Array.from(text.querySelectorAll(selector)).map((el) => ({
      text: el.textContent,
      span: offsets.get(el),
      data: { ...el.dataset },
      tabindex: el.getAttribute("tabindex"),
    }));
  return {
    source: article.dataset.source,
    text: text.textContent,
    quotes: spans("mark.quote"),
    cues: spans(".cue"),
    mentions: spans(".mention"),
    paragraphs: text.querySelectorAll("p").length,
    rows: Array.from(article.querySelectorAll(".speakers tbody tr[data-speaker]")).map((tr) => ({
      speaker: tr.dataset.speaker,
      name: tr.querySelector("th").textContent,
      cells: Array.from(tr.querySelectorAll("td")).map((td) => td.textContent),
    })),
  };
}

/** The page's documents against the JSON records of the same run. */
async function checkDocuments(page, docs, label) {
  const articles = await page.$$eval("article.doc", (all, read) => all.map(new Function("return " + read)()), readArticle.toString());
  check(articles.length === docs.length, `${label}: ${articles.length} articles for ${docs.length} records`);
  docs.forEach((doc, d) => {
    const a = articles[d];
    if (!a) return;
    const where = `${label} doc ${d} (${doc.file})`;
    const input = fs.readFileSync(doc.file, "utf8");
    check(a.source === doc.file, `${where}: data-source ${a.source}`);
    check(a.text === input, `${where}: the text on the page differs from the input (${chars(a.text)} vs ${chars(input)} characters)`);
    check(a.paragraphs === input.split(/\n[ \t]*\n/).filter((p) => p.trim()).length, `${where}: ${a.paragraphs} paragraphs`);
    const numbers = new Set(a.quotes.map((q) => q.data.quote));
    check(numbers.size === doc.quotes.length, `${where}: ${numbers.size} quotes marked, ${doc.quotes.length} in the JSON`);
    doc.quotes.forEach((q, n) => {
      const pieces = a.quotes.filter((p) => p.data.quote === String(n));
      const speaker = q.speaker === null ? "none" : String(q.speaker);
      const name = q.speaker === null ? "" : doc.speakers[q.speaker].name;
      check(pieces.length > 0, `${where}: quote ${n} not marked`);
      if (!pieces.length) return;
      check(pieces.map((p) => p.text).join("") === q.content.text, `${where}: quote ${n} text "${pieces.map((p) => p.text).join("")}"`);
      check(pieces[0].span[0] === q.content.start && pieces.at(-1).span[1] === q.content.end,
        `${where}: quote ${n} at ${pieces[0].span[0]}..${pieces.at(-1).span[1]}, JSON ${q.content.start}..${q.content.end}`);
      check(pieces.every((p) => p.data.speaker === speaker && p.data.speakerName === name),
        `${where}: quote ${n} speaker ${pieces.map((p) => p.data.speaker)} "${pieces[0].data.speakerName}", JSON ${speaker} "${name}"`);
      check(pieces[0].tabindex === "0" && pieces.slice(1).every((p) => p.tabindex === null), `${where}: quote ${n} tab stops`);
      if (q.cue) {
        const cue = a.cues.find((c) => c.data.cueOf.split(" ").includes(String(n)));
        check(cue && cue.text === q.cue.text && cue.span[0] === q.cue.start, `${where}: quote ${n} cue "${q.cue.text}" ${cue && cue.text}`);
      }
      if (q.speaker_mention) {
        const m = a.mentions.find((c) => (c.data.mentionOf || "").split(" ").includes(String(n)));
        check(m && m.text === q.speaker_mention.text && m.span[0] === q.speaker_mention.start && m.data.speaker === speaker,
          `${where}: quote ${n} speaker mention "${q.speaker_mention.text}" ${m && m.text}`);
      }
    });
    // every quoted speaker has a row with its name, role, kind and number of quotes
    const quoted = new Map();
    doc.quotes.forEach((q) => quoted.set(q.speaker, (quoted.get(q.speaker) || 0) + 1));
    check(a.rows.length === quoted.size, `${where}: ${a.rows.length} speaker rows for ${quoted.size} quoted speakers`);
    for (const [id, count] of quoted) {
      const row = a.rows.find((r) => r.speaker === (id === null ? "none" : String(id)));
      const s = id === null ? null : doc.speakers[id];
      check(row && (s === null || (row.name === s.name && row.cells[0] === (s.role || "") && row.cells[1] === s.kind)) && row.cells[2] === String(count),
        `${where}: speaker row ${id} ${JSON.stringify(row)}`);
    }
    // every mention of a quoted speaker is marked in its colour
    for (const s of doc.speakers.filter((s) => quoted.has(s.id))) {
      for (const m of s.mentions) {
        check(a.mentions.some((x) => x.span[0] === m.start && x.span[1] === m.end && x.text === m.text),
          `${where}: mention "${m.text}" of ${s.name} at ${m.start} not marked`);
      }
    }
  });
}

/** The tooltip: shown, inside the window, naming the speaker. */
async function tooltip(page) {
  return page.evaluate(() => {
    const tip = document.getElementById("tip");
    const r = tip.getBoundingClientRect();
    return {
      hidden: tip.hidden || getComputedStyle(tip).display === "none",
      text: tip.textContent,
      inside: r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth,
    };
  });
}

/** Tab through a document's quotes: each gets the focus in order and its tooltip names its speaker. */
async function checkKeyboard(page, doc, label) {
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  for (let n = 0; n < doc.quotes.length; n++) {
    const q = doc.quotes[n];
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement.dataset.quote);
    check(focused === String(n), `${label}: Tab ${n + 1} focuses quote ${focused}`);
    const tip = await tooltip(page);
    const s = q.speaker === null ? null : doc.speakers[q.speaker];
    const want = s ? [s.name, s.role || "", s.kind] : ["Unknown speaker"];
    want.push(Math.round(q.confidence * 100) + "%");
    check(!tip.hidden && tip.inside && want.every((w) => tip.text.includes(w)),
      `${label}: focus on quote ${n}: tooltip ${JSON.stringify(tip)}, wanted ${want}`);
  }
  await page.keyboard.press("Escape");
  check((await tooltip(page)).hidden, `${label}: Escape hides the tooltip`);
}

async function noOverflow(page, label) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(scroll <= width, `${label}: ${scroll} px wide in a ${width} px window`);
}

function checkClean(opened, label) {
  check(opened.requests.length === 0, `${label}: requests off the page: ${opened.requests}`);
  check(opened.errors.length === 0, `${label}: script errors: ${opened.errors}`);
}

function checkPng(file) {
  const size = fs.statSync(file).size;
  const png = fs.readFileSync(file);
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
  console.log(`screenshot ${file}: ${width}x${height}, ${Math.round(size / 1024)} KB`);
  check(size < 500 * 1024, `${file}: ${size} bytes`);
}

// One document: the seed article.
{
  const seed = records("seed.jsonl");
  const opened = await open("seed.html", { viewport: { width: 1000, height: 1250 } });
  const { page } = opened;
  check((await page.title()) !== "" && (await page.$("meta[name=viewport]")) !== null, "seed: title and viewport meta");
  check((await page.$("#jump")) === null, "seed: no list of documents for one document");
  await checkDocuments(page, seed, "seed");
  await checkKeyboard(page, seed[0], "seed");

  // hover: the tooltip of the quote under the pointer, all its pieces lit
  const quote = seed[0].quotes.findIndex((q) => q.speaker !== null && q.content.text.length > 80);
  const target = page.locator(`mark.quote[data-quote="${quote}"]`).first();
  await target.hover();
  const tip = await tooltip(page);
  const hovered = seed[0].speakers[seed[0].quotes[quote].speaker];
  check(!tip.hidden && tip.text.includes(hovered.name), `seed: hover on quote ${quote}: ${JSON.stringify(tip)}`);
  check(await target.evaluate((m) => m.classList.contains("active")), "seed: the hovered quote is lit");
  await page.mouse.move(2, 2);
  check((await tooltip(page)).hidden, "seed: the tooltip goes when the pointer leaves");
  await noOverflow(page, "seed at 1000 px");

  // print: no tooltip, quotes keep their colour and a line, the speaker after each quote
  await target.focus();
  await page.emulateMedia({ media: "print" });
  const print = await page.evaluate(() => {
    const m = document.querySelector("mark.quote.last");
    return {
      tip: getComputedStyle(document.getElementById("tip")).display,
      background: getComputedStyle(m).backgroundColor,
      border: getComputedStyle(m).borderBottomStyle,
      after: getComputedStyle(m, "::after").content,
      name: m.dataset.speakerName,
    };
  });
  check(print.tip === "none" && print.background !== "rgba(0, 0, 0, 0)" && print.border === "solid" && print.after.includes(print.name),
    `seed: print styles ${JSON.stringify(print)}`);
  await page.emulateMedia({ media: "screen" });
  const pdf = await page.pdf({ format: "A4" });
  check(pdf.length > 10000, `seed: printed to PDF, ${pdf.length} bytes`);

  if (shots) {
    // what a reader sees first: the speakers and the opening paragraphs, one quote focused
    await page.locator(`mark.quote[data-quote="2"]`).first().focus();
    const file = path.join(shots, "screenshot-seed.png");
    await page.screenshot({ path: file });
    checkPng(file);
  }
  checkClean(opened, "seed");
  await opened.context.close();

  // a phone: 390 px, two device pixels per CSS pixel, touch
  const phone = await open("seed.html", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await noOverflow(phone.page, "seed on a phone");
  const tapped = phone.page.locator(`mark.quote[data-quote="2"]`).first();
  await tapped.tap();
  const tapTip = await tooltip(phone.page);
  check(!tapTip.hidden && tapTip.inside && tapTip.text.includes(seed[0].speakers[seed[0].quotes[2].speaker].name),
    `seed on a phone: tap on quote 2: ${JSON.stringify(tapTip)}`);
  if (shots) {
    const file = path.join(shots, "screenshot-seed-phone.png");
    await phone.page.evaluate(() => window.scrollTo(0, 0));
    await phone.page.locator(`mark.quote[data-quote="0"]`).first().focus();
    await phone.page.screenshot({ path: file });
    checkPng(file);
  }
  checkClean(phone, "seed on a phone");
  await phone.context.close();
}

// Several documents: seeds/, with the list to jump between them.
{
  const docs = records("seeds.jsonl");
  check(docs.length >= 2, `seeds: ${docs.length} documents`);
  const opened = await open("seeds.html", { viewport: { width: 1280, height: 900 } });
  const { page } = opened;
  await checkDocuments(page, docs, "seeds");
  const links = await page.$$eval("#jump a", (as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
  check(links.length === docs.length, `seeds: ${links.length} links for ${docs.length} documents`);
  for (const [i, [href, text]] of links.entries()) {
    const title = await page.$eval(`${href} h2`, (h) => h.textContent).catch(() => null);
    check(title === text && title === docs[i].file, `seeds: link ${href} "${text}" to "${title}"`);
  }
  // the list is beside the documents on a wide window, and a link brings its document up
  const [nav, main] = await page.evaluate(() => [document.getElementById("jump"), document.querySelector("main")].map((e) => e.getBoundingClientRect().toJSON()));
  check(nav.right <= main.left + 1 && nav.top < 200, `seeds: the list beside the documents: ${JSON.stringify([nav, main])}`);
  const last = links.at(-1)[0];
  await page.click(`#jump a[href="${last}"]`);
  await page.waitForFunction((id) => Math.abs(document.querySelector(id).getBoundingClientRect().top) < 40, last, { timeout: 5000 }).catch(() => {});
  const jumped = await page.evaluate((id) => [location.hash, document.querySelector(id).getBoundingClientRect().top], last);
  check(jumped[0] === last && Math.abs(jumped[1]) < 40, `seeds: jump to ${last}: ${jumped}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await noOverflow(page, "seeds on a phone");
  const [navPhone, mainPhone] = await page.evaluate(() => [document.getElementById("jump"), document.querySelector("main")].map((e) => e.getBoundingClientRect().toJSON()));
  check(navPhone.bottom <= mainPhone.top + 1, "seeds on a phone: the list above the documents");
  checkClean(opened, "seeds");
  await opened.context.close();
}

await browser.close();
if (failures.length) {
  console.error(`browser-test: ${failures.length} of ${checks} checks failed`);
  process.exit(1);
}
console.log(`browser-test: ${checks} checks passed`);
