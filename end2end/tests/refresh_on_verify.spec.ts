import { expect, test } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

test("refreshing the PIN step stays on it, and the code still works", async ({ page }) => {
  const number = uniqueNumber();
  await open(page, "/login");
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  await page.reload();
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await expectPinStep(page, number.e164);
  await submitCode(page, await latestCode(page.request, number.e164));
  await expectSignedIn(page, number.e164);
});

test("opening /verify with no code pending goes to the phone step", async ({ page }) => {
  await page.goto("/verify");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Phone number")).toBeVisible();
});
