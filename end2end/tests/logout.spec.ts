import { expect, test } from "@playwright/test";
import { expectSignedOut, signIn } from "./helpers";

for (const js of [true, false]) {
  test(`logout ends the session (JavaScript ${js ? "on" : "off"})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    await signIn(page, js);
    await page.getByRole("button", { name: "Log out" }).click();
    await expectSignedOut(page);
    await page.reload();
    await expectSignedOut(page);
    await context.close();
  });
}
