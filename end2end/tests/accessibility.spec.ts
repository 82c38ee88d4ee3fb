import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { expectPinStep, latestCode, open, submitCode, submitNumber, uniqueNumber, shown } from "./helpers";

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations on ${state}`).toEqual([]);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`every page and state passes axe (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    const number = uniqueNumber();

    await open(page, "/");
    await expectNoViolations(page, "home, signed out");
    await open(page, "/login");
    await expectNoViolations(page, "phone step");
    await submitNumber(page, "12");
    await expect(page.getByRole("alert")).toContainText("too short");
    await expectNoViolations(page, "phone step with error");

    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    await expect(page.getByLabel("Code")).toBeFocused();
    await expectNoViolations(page, "PIN step");
    const code = await latestCode(page.request, number.e164);
    await submitCode(page, code === "000000" ? "111111" : "000000");
    await expect(page.getByRole("alert")).toContainText("attempts left");
    await expect(page.getByLabel("Code")).toBeFocused();
    await expectNoViolations(page, "PIN step with error");

    await submitCode(page, code);
    await expect(page.getByRole("heading", { name: `Hello ${shown(number.e164)}` })).toBeVisible();
    await expectNoViolations(page, "home, signed in");
    await open(page, "/account");
    await expectNoViolations(page, "account");
    await open(page, "/nope");
    await expectNoViolations(page, "not found");
    await context.close();
  });
}

test("the phone step fits a 320 px wide screen without horizontal scrolling", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const path of ["/", "/login"]) {
    await open(page, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await context.close();
});
