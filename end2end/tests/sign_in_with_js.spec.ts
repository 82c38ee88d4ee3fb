import { expect, test } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

test("signs in with JavaScript on, moving between steps without a page load", async ({ page }) => {
  const number = uniqueNumber();
  await open(page, "/");
  await expect(page.getByText("Development mode")).toBeVisible();
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);

  // A full page load would reset this marker; client-side navigation keeps it.
  await page.evaluate(() => ((window as unknown as { spaMarker: boolean }).spaMarker = true));
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  await submitCode(page, await latestCode(page.request, number.e164));
  await expectSignedIn(page, number.e164);
  expect(await page.evaluate(() => (window as unknown as { spaMarker?: boolean }).spaMarker)).toBe(true);
});

test("an invalid number gets a message next to the field and nothing is sent", async ({ page }) => {
  await open(page, "/login");
  await submitNumber(page, "12");
  await expect(page.getByRole("alert")).toContainText("too short");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Phone number")).toHaveValue("12");
});
