import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { latestCode, open, shown, uniqueNumber } from "./helpers";

// The whole journey in Spanish (from the browser's Accept-Language) and in Arabic (chosen in
// the language menu, right to left), JavaScript on and off, with axe in light and dark. The
// expected words come from the translation files, so a changed translation needs no edit here.

type Catalogue = Record<string, Record<string, string>>;
const catalogue = (tag: string): Catalogue =>
  JSON.parse(readFileSync(`${__dirname}/../../app/core/locales/${tag}.json`, "utf8"));
const es = catalogue("es");
const ar = catalogue("ar");
const en = catalogue("en");

/** A text without its `{{ … }}` placeholders, split where they were. */
const pieces = (text: string): string[] =>
  text
    .split(/\{\{[^}]*\}\}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 1);

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations on ${state}`).toEqual([]);
}

async function visit(page: Page, path: string, js: boolean): Promise<void> {
  if (js) {
    await open(page, path);
  } else {
    await page.goto(path);
  }
}

/** Phone step → wrong code → right code → greeting, all in `words`' language. */
async function journey(page: Page, words: Catalogue, tag: string, js: boolean, axe: boolean): Promise<void> {
  const number = uniqueNumber();
  await visit(page, "/login", js);
  await expect(page.locator("html")).toHaveAttribute("lang", tag);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(words.login.title);
  if (axe) await expectNoViolations(page, `${tag} phone step`);
  await page.getByLabel(words.phone.label).fill(number.typed);
  await page.getByRole("button", { name: words.phone.send }).click();
  await expect(page.getByRole("heading", { name: words.pin.title })).toBeVisible();
  await expect(page.getByText(shown(number.e164)).first()).toBeVisible();
  if (axe) await expectNoViolations(page, `${tag} PIN step`);

  const code = await latestCode(page.request, number.e164);
  await page.getByLabel(words.pin.label, { exact: true }).fill(code === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: words.pin.sign_in }).click();
  // Two attempts are left: Arabic has a form of its own for two.
  const wrong = words.error.wrong_code_two ?? words.error.wrong_code_other;
  await expect(page.getByRole("alert").filter({ hasText: pieces(wrong)[0] })).toHaveCount(1);
  if (axe) await expectNoViolations(page, `${tag} PIN step with error`);

  await page.getByLabel(words.pin.label, { exact: true }).fill(code);
  await page.getByRole("button", { name: words.pin.sign_in }).click();
  const hello = pieces(words.home.hello)[0];
  await expect(page.getByRole("heading", { level: 1 })).toContainText(hello);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(shown(number.e164));
  if (axe) await expectNoViolations(page, `${tag} signed in`);
  await visit(page, "/account", js);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(words.account.title);
  if (axe) await expectNoViolations(page, `${tag} account`);
}

async function chooseArabic(page: Page, js: boolean): Promise<void> {
  await visit(page, "/login?next=/account", js);
  await page.getByLabel(en.language.label).selectOption("ar");
  if (!js) await page.getByRole("button", { name: en.language.apply }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  // Back on the same page, query and all.
  await expect(page).toHaveURL(/\/login\?next=\/account$/);
}

async function context(browser: Browser, options: Parameters<Browser["newContext"]>[0]) {
  return browser.newContext({ viewport: { width: 480, height: 760 }, ...options });
}

for (const js of [true, false]) {
  const mode = js ? "JavaScript on" : "JavaScript off";

  test(`the whole journey in Spanish from Accept-Language (${mode})`, async ({ browser }) => {
    const ctx = await context(browser, { locale: "es-MX", javaScriptEnabled: js });
    const page = await ctx.newPage();
    await journey(page, es, "es", js, false);
    await ctx.close();
  });

  test(`Arabic chosen in the menu: right to left, remembered, the whole journey (${mode})`, async ({ browser }) => {
    const ctx = await context(browser, { locale: "en-GB", javaScriptEnabled: js });
    const page = await ctx.newPage();
    await chooseArabic(page, js);
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    // The choice is remembered (HttpOnly cookie) and wins over the browser's English.
    const cookie = (await ctx.cookies()).find((c) => c.name === "lang");
    expect(cookie?.value).toBe("ar");
    expect(cookie?.httpOnly).toBe(true);
    await journey(page, ar, "ar", js, false);
    await ctx.close();
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  for (const [words, tag] of [[es, "es"], [ar, "ar"]] as const) {
    test(`axe finds nothing in ${tag} (${colorScheme})`, async ({ browser }) => {
      const ctx = await context(browser, { locale: tag === "es" ? "es-ES" : "ar-EG", colorScheme });
      const page = await ctx.newPage();
      await journey(page, words, tag, true, true);
      await ctx.close();
    });
  }
}

test("in Arabic the number and code read left to right and the code field still works", async ({ browser }) => {
  const ctx = await context(browser, { locale: "ar" });
  const page = await ctx.newPage();
  const number = uniqueNumber();
  await open(page, "/login");
  const phone = page.getByLabel(ar.phone.label);
  await expect(phone).toHaveCSS("direction", "ltr");
  await phone.fill(number.typed);
  await page.getByRole("button", { name: ar.phone.send }).click();
  await expect(page.getByRole("heading", { name: ar.pin.title })).toBeVisible();
  const shownNumber = page.locator(".number").first();
  await expect(shownNumber).toHaveText(shown(number.e164));
  await expect(shownNumber).toHaveCSS("direction", "ltr");
  // Laid out left to right inside the Arabic sentence: "+" left of the first and last digits.
  const xs = await shownNumber.evaluate((el) => {
    const text = el.firstChild as Text;
    const range = document.createRange();
    return [0, 1, text.length - 1].map((i) => {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      return range.getBoundingClientRect().x;
    });
  });
  expect(xs[0]).toBeLessThan(xs[1]);
  expect(xs[1]).toBeLessThan(xs[2]);
  const code = page.getByLabel(ar.pin.label, { exact: true });
  await expect(code).toHaveCSS("direction", "ltr");
  await expect(code).toBeFocused();
  await code.pressSequentially("12 34");
  await expect(code).toHaveValue("12 34");
  await ctx.close();
});

test("an unsupported language falls back to English; an explicit choice beats the browser", async ({ browser }) => {
  const ctx = await context(browser, { locale: "ja-JP" });
  const page = await ctx.newPage();
  await open(page, "/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  // With JavaScript, choosing is enough: the "Change" button is for pages without it.
  await expect(page.getByRole("button", { name: en.language.apply })).toBeHidden();
  await page.getByLabel(en.language.label).selectOption("fr");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await open(page, "/");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await ctx.close();
});

test("README screenshot of the Arabic code step", async ({ browser }) => {
  const ctx = await context(browser, { locale: "ar", viewport: { width: 400, height: 600 } });
  const page = await ctx.newPage();
  const number = uniqueNumber();
  await open(page, "/login");
  await page.getByLabel(ar.phone.label).fill(number.typed);
  await page.getByRole("button", { name: ar.phone.send }).click();
  await expect(page.getByRole("heading", { name: ar.pin.title })).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${__dirname}/../../docs/screenshots/5-code-step-arabic.png` });
  await ctx.close();
});
