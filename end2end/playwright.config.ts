import { defineConfig, devices } from "@playwright/test";

// The main server is started by `cargo leptos end-to-end` (emulator provider, spoken to
// through the Vonage v2 client). The main journey runs once more per other client
// (EMULATOR_API), each on a server of the same build started here on its own port.
// Chromium comes from Debian (`apt-get install chromium`); Playwright never downloads one.
const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

const otherClients = [
  { api: "vonage-legacy", port: 3010 },
  { api: "twilio", port: 3011 },
];

// The SMS-pumping guard in enforce mode, judging a range after one unverified code
// (guard.spec.ts), on a server of its own so the other specs' numbers are never judged.
const guardPort = 3012;

// The human check before risky sends (challenge.spec.ts), on Turnstile's documented test
// keys against the emulator's stand-ins: one server where the second send from an address
// is risky, one that checks every send and whose siteverify refuses every token.
const captcha = {
  CAPTCHA_PROVIDER: "turnstile",
  CAPTCHA_SITE_KEY: "1x00000000000000000000AA",
};
const challengePort = 3013;
const failingChallengePort = 3014;

// Passkeys (passkeys.spec.ts) need a host name: WebAuthn refuses IP addresses as
// relying-party ids, so this server is browsed as http://localhost.
const passkeysPort = 3015;

// WhatsApp beside text messages (channels.spec.ts): the phone step offers the choice.
const channelsPort = 3016;

// Silent authentication first (silent_auth.spec.ts): the emulator's check_url succeeds or
// fails by /dev/reachability.
const silentPort = 3017;

const serverEnv = (port: number, extra: Record<string, string>) => ({
  ...(process.env as Record<string, string>),
  LEPTOS_OUTPUT_NAME: "passwordless",
  LEPTOS_SITE_ROOT: "target/site",
  LEPTOS_SITE_PKG_DIR: "pkg",
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  LEPTOS_ENV: "PROD",
  LEPTOS_HASH_FILES: "true",
  VERIFY_PROVIDER: "emulator",
  SESSION_STORE: "memory",
  ...extra,
});

const server = (port: number, extra: Record<string, string>) => ({
  command: "target/release/server",
  cwd: "..",
  url: `http://127.0.0.1:${port}/healthz`,
  reuseExistingServer: false,
  timeout: 60_000,
  env: serverEnv(port, extra),
});

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "chromium", use: chromium, testIgnore: /(guard|challenge|passkeys|channels|silent_auth)\.spec\.ts/ },
    {
      name: "silent_auth",
      testMatch: /silent_auth\.spec\.ts/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${silentPort}` },
    },
    {
      name: "channels",
      testMatch: /channels\.spec\.ts/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${channelsPort}` },
    },
    {
      name: "passkeys",
      testMatch: /passkeys\.spec\.ts/,
      use: { ...chromium, baseURL: `http://localhost:${passkeysPort}` },
    },
    {
      name: "challenge",
      testMatch: /challenge\.spec\.ts/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${challengePort}` },
    },
    {
      name: "guard",
      testMatch: /guard\.spec\.ts/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${guardPort}` },
    },
    ...otherClients.map(({ api, port }) => ({
      name: api,
      testMatch: /provider_journey\.spec\.ts/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${port}` },
    })),
  ],
  webServer: [
    ...otherClients.map(({ api, port }) =>
      // Vonage v1 waits at least 60 s between events: a 300 s code, its call at 150 s.
      server(port, { EMULATOR_API: api, EMULATOR_CODE_TTL: "300" }),
    ),
    server(passkeysPort, {}),
    // Codes live 300 s here (the suite's main server uses 20 s): silent authentication's
    // steps are 60 s each.
    server(silentPort, { VONAGE_WORKFLOW: "silent_auth,sms,voice", EMULATOR_CODE_TTL: "300" }),
    server(channelsPort, {
      EMULATOR_CODE_TTL: "300",
      VONAGE_WORKFLOW: "whatsapp,sms,voice",
      VONAGE_WHATSAPP_FROM: "447700900000",
    }),
    server(guardPort, { GUARD_MODE: "enforce", GUARD_MIN_SENDS: "1" }),
    server(challengePort, {
      ...captcha,
      CAPTCHA_SECRET: "1x0000000000000000000000000000000AA",
      CAPTCHA_IP_BURST: "1/10m",
    }),
    server(failingChallengePort, {
      ...captcha,
      CAPTCHA_SECRET: "2x0000000000000000000000000000000AA",
      CAPTCHA_WHEN: "always",
    }),
  ],
});
