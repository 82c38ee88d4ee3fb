import { expect, test } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

test.use({ javaScriptEnabled: false });

test("signs in with JavaScript off through plain form posts", async ({ page }) => {
  const number = uniqueNumber();
  await open(page, "/login", false);
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  await submitCode(page, await latestCode(page.request, number.e164));
  await expectSignedIn(page, number.e164);
});

test("an invalid number comes back with the message and what was typed", async ({ page }) => {
  await open(page, "/login", false);
  await submitNumber(page, "call me");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("alert")).toContainText("doesn't look like a phone number");
  await expect(page.getByLabel("Phone number")).toHaveValue("call me");
});
