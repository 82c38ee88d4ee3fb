import { expect, test } from "@playwright/test";
import { expectPinStep, latestCode, open, shown, submitCode, submitNumber, uniqueNumber } from "./helpers";

// A protected page (`<SignedInOnly>`, here `/account`): signed out, the server redirects to
// sign in and back (JavaScript off); the hydrated app redirects in the browser (JavaScript
// on), whether the page was loaded or navigated to.

for (const js of [true, false]) {
  test(`a protected page sends to sign-in and back (JavaScript ${js ? "on" : "off"})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    const number = uniqueNumber();
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?next=\/account$/);
    if (js) await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    await submitCode(page, await latestCode(page.request, number.e164));
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    await expect(page.locator("dd.number")).toHaveText(shown(number.e164));
    await context.close();
  });
}

test("the hydrated app redirects a client-side visit to a protected page", async ({ page }) => {
  await open(page, "/");
  // A navigation inside the app (no new document): the router renders the page in the browser.
  await page.evaluate(() => {
    window.history.pushState({}, "", "/account?tab=sessions");
    window.dispatchEvent(new PopStateEvent("popstate"));
  });
  await expect(page).toHaveURL(/\/login\?next=\/account\?tab=sessions$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

// The server under test lists `localhost:<its port>` in AUTH_REDIRECT_HOSTS (scripts/test.sh):
// a sign-in started from another app's redirect goes back to that app, here the same server
// under its other name, where this browser has no session yet (cookies are per host).
for (const js of [true, false]) {
  test(`sign-in returns to a listed host (JavaScript ${js ? "on" : "off"})`, async ({ browser, baseURL }) => {
    const port = new URL(baseURL as string).port;
    const other = `http://localhost:${port}`;
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    const number = uniqueNumber();
    await page.goto(`/login?next=${encodeURIComponent(`${other}/account`)}`);
    if (js) await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    await submitCode(page, await latestCode(page.request, number.e164));
    await expect(page).toHaveURL(`${other}/login?next=/account`);
    await context.close();
  });
}
