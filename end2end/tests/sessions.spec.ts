import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

// The account page lists where the account is signed in; any other session can be signed
// out, or all of them, with JavaScript on and off.

const laptopAgent =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const phoneAgent =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";

/** A new browser (its own cookies) signed in as `e164`. */
async function signedInAs(
  browser: Browser,
  number: { typed: string; e164: string },
  options: { js: boolean; userAgent: string; colorScheme?: "light" | "dark" },
): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: options.js,
    userAgent: options.userAgent,
    colorScheme: options.colorScheme ?? "light",
    viewport: { width: 400, height: 760 },
  });
  const page = await context.newPage();
  await open(page, "/login", options.js);
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  await submitCode(page, await latestCode(page.request, number.e164));
  await expectSignedIn(page, number.e164);
  return page;
}

const sessions = (page: Page) => page.locator("li.session");

for (const js of [true, false]) {
  const mode = `JavaScript ${js ? "on" : "off"}`;

  test(`another browser is signed out from the account page (${mode})`, async ({ browser }) => {
    const number = uniqueNumber();
    const laptop = await signedInAs(browser, number, { js, userAgent: laptopAgent });
    const phone = await signedInAs(browser, number, { js: true, userAgent: phoneAgent });
    await open(laptop, "/account", js);
    await expect(sessions(laptop)).toHaveCount(2);
    const mine = sessions(laptop).filter({ hasText: "This browser" });
    await expect(mine).toContainText("Chrome on Linux");
    await expect(mine.getByRole("button")).toHaveCount(0);
    const other = sessions(laptop).filter({ hasText: "Safari on iPhone" });
    await expect(other).toContainText("This computer");
    await expect(other).toContainText("with a code");
    await other.getByRole("button", { name: /^Sign out Safari on iPhone/ }).click();
    await expect(sessions(laptop)).toHaveCount(1);
    await expect(laptop).toHaveURL(/\/account$/);

    await open(phone, "/account");
    await expect(phone).toHaveURL(/\/login\?next=\/account$/);
    await expect(phone.getByRole("heading", { name: /Sign in/ })).toBeVisible();
    await laptop.context().close();
    await phone.context().close();
  });

  test(`"Sign out everywhere else" keeps only this browser (${mode})`, async ({ browser }) => {
    const number = uniqueNumber();
    const phone = await signedInAs(browser, number, { js: true, userAgent: phoneAgent });
    const laptop = await signedInAs(browser, number, { js, userAgent: laptopAgent });
    await open(laptop, "/account", js);
    await expect(sessions(laptop)).toHaveCount(2);
    await laptop.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(sessions(laptop)).toHaveCount(1);
    await expect(laptop.getByRole("button", { name: "Sign out everywhere else" })).toHaveCount(0);
    if (js) {
      await expect(laptop.getByRole("status")).toHaveText("Signed out 1 other session.");
    }
    await open(phone, "/");
    await expect(phone.getByRole("button", { name: "Log out" })).toHaveCount(0);
    await laptop.context().close();
    await phone.context().close();
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`the session list passes axe and is pictured for the README (${colorScheme})`, async ({ browser }) => {
    const number = uniqueNumber();
    const phone = await signedInAs(browser, number, { js: true, userAgent: phoneAgent });
    const laptop = await signedInAs(browser, number, { js: true, userAgent: laptopAgent, colorScheme });
    await open(laptop, "/account");
    await expect(sessions(laptop)).toHaveCount(2);
    const results = await new AxeBuilder({ page: laptop })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(summary, "axe violations on the session list").toEqual([]);
    await expect(laptop.getByText("Loading…")).toHaveCount(0);
    await laptop.evaluate(() => document.fonts.ready);
    const suffix = colorScheme === "dark" ? "-dark" : "";
    await laptop.locator("main").screenshot({ path: `${__dirname}/../../docs/screenshots/8-sessions${suffix}.png` });
    await laptop.context().close();
    await phone.context().close();
  });
}
