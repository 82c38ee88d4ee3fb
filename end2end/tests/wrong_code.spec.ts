import { expect, test } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

function wrongCodeFor(code: string): string {
  return code === "000000" ? "111111" : "000000";
}

for (const js of [true, false]) {
  test.describe(js ? "JavaScript on" : "JavaScript off", () => {
    test.use({ javaScriptEnabled: js });

    test("a wrong code stays on the PIN step and says how many attempts are left", async ({ page }) => {
      const number = uniqueNumber();
      await open(page, "/login", js);
      await submitNumber(page, number.typed);
      await expectPinStep(page, number.e164);
      const code = await latestCode(page.request, number.e164);

      await submitCode(page, wrongCodeFor(code));
      await expectPinStep(page, number.e164);
      await expect(page.getByRole("alert")).toContainText("That code isn't right. You have 2 attempts left.");

      await submitCode(page, code);
      await expectSignedIn(page, number.e164);
    });
  });
}
