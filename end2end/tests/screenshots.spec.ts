import { expect, test, type Page } from "@playwright/test";
import { expectPinStep, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

// Refreshes the README pictures (docs/screenshots/) on every run of the suite, in light and
// dark. Each is taken once the page has settled: hydrated, no call in flight, no busy label.
const dir = `${__dirname}/../../docs/screenshots`;

async function settled(page: Page): Promise<void> {
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expect(page.getByText(/Sending code…|Checking…|Logging out…|Loading…/)).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`README screenshots of each step (${colorScheme})`, async ({ browser }) => {
    const suffix = colorScheme === "dark" ? "-dark" : "";
    const context = await browser.newContext({ viewport: { width: 400, height: 560 }, colorScheme });
    const page = await context.newPage();
    const number = uniqueNumber();
    await open(page, "/login");
    await page.getByLabel("Phone number").fill(number.typed);
    await settled(page);
    await page.screenshot({ path: `${dir}/1-phone-step${suffix}.png` });
    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    const code = await latestCode(page.request, number.e164);
    await submitCode(page, code === "000000" ? "111111" : "000000");
    await expect(page.getByRole("alert")).toContainText("You have 2 attempts left.");
    await expect(page.getByRole("button", { name: "Use a different number" })).toHaveCount(1);
    await settled(page);
    await page.screenshot({ path: `${dir}/2-code-step-wrong-code${suffix}.png` });
    await submitCode(page, code);
    await expect(page.getByRole("heading", { name: /Hello/ })).toBeVisible();
    await settled(page);
    await page.screenshot({ path: `${dir}/3-signed-in${suffix}.png` });
    await page.goto("/dev/outbox");
    await page.screenshot({ path: `${dir}/4-dev-outbox${suffix}.png` });
    await context.close();
  });
}
