// The vendors' official Node SDKs against the standalone Verify emulator: for each client a
// start, a wrong code and the right code, read from the emulator's outbox (/dev/messages).
// scripts/sdk_check.sh starts the emulator and sets:
//   EMULATOR_URL            http://127.0.0.1:PORT (loopback only)
//   SDK_API_KEY/SECRET      the emulator's EMULATOR_API_KEY / EMULATOR_API_SECRET
//   SDK_APPLICATION_ID      its EMULATOR_APPLICATION_ID
//   SDK_PRIVATE_KEY         path of the private key whose public half is EMULATOR_PUBLIC_KEY
// Run: node --test sdk-check/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vonage } from '@vonage/server-sdk';
import twilio from 'twilio';

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} is set (scripts/sdk_check.sh sets it)`);
  return value;
};
const base = env('EMULATOR_URL');
assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, 'the SDK check talks to loopback only');
const apiKey = env('SDK_API_KEY');
const apiSecret = env('SDK_API_SECRET');
const applicationId = env('SDK_APPLICATION_ID');
const privateKey = env('SDK_PRIVATE_KEY');

/** The newest code the emulator sent to `to` (E.164 with +). */
async function newestCode(to) {
  const reply = await fetch(`${base}/dev/messages`);
  assert.equal(reply.status, 200);
  const message = (await reply.json()).find((m) => m.to === to);
  assert.ok(message, `a message to ${to} is in the outbox`);
  return message.code;
}

/** A code of the same length that is not `code`. */
const wrong = (code) => code.replace(/./g, (d) => String((Number(d) + 1) % 10));

/** The HTTP status of a rejected SDK call. */
async function statusOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error.response?.status ?? error.status;
  }
  assert.fail('the call should have been rejected');
}

test('Vonage Verify v1 (vonage.verify: JSON body, Basic key:secret)', async () => {
  const vonage = new Vonage({ apiKey, apiSecret }, { apiHost: base });
  const number = '447700900101';
  const started = await vonage.verify.start({ number, brand: 'SdkCheck', codeLength: 6 });
  assert.equal(started.status, '0', JSON.stringify(started));
  const code = await newestCode(`+${number}`);
  assert.equal(code.length, 6);
  const miss = await vonage.verify.check(started.requestId, wrong(code));
  assert.equal(miss.status, '16', JSON.stringify(miss));
  const hit = await vonage.verify.check(started.requestId, code);
  assert.equal(hit.status, '0', JSON.stringify(hit));
});

test('Vonage Verify v2 with an application (vonage.verify2: Bearer RS256 JWT)', async () => {
  const vonage = new Vonage({ applicationId, privateKey }, { apiHost: base });
  const to = '447700900102';
  const { requestId } = await vonage.verify2.newRequest({
    brand: 'SdkCheck',
    workflow: [{ channel: 'sms', to }],
  });
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  const code = await newestCode(`+${to}`);
  assert.equal(await statusOf(vonage.verify2.checkCode(requestId, wrong(code))), 400);
  assert.equal(await vonage.verify2.checkCode(requestId, code), 'completed');
});

test('Vonage Verify v2 refuses a JWT of another application', async () => {
  const vonage = new Vonage({ applicationId: 'not-this-app', privateKey }, { apiHost: base });
  const request = vonage.verify2.newRequest({
    brand: 'SdkCheck',
    workflow: [{ channel: 'sms', to: '447700900109' }],
  });
  assert.equal(await statusOf(request), 401);
});

test('Vonage Verify v2 with key and secret (vonage.verify2, authType basic)', async () => {
  const vonage = new Vonage({ apiKey, apiSecret }, { apiHost: base });
  // Verify2 signs JWTs by default; its public authType field switches it to Basic.
  vonage.verify2.authType = 'basic';
  const to = '447700900103';
  const { requestId } = await vonage.verify2.newRequest({
    brand: 'SdkCheck',
    workflow: [{ channel: 'sms', to }],
  });
  const code = await newestCode(`+${to}`);
  assert.equal(await statusOf(vonage.verify2.checkCode(requestId, wrong(code))), 400);
  assert.equal(await vonage.verify2.checkCode(requestId, code), 'completed');
});

test('Twilio Verify (client.verify.baseUrl, Basic AccountSid:AuthToken, form body)', async () => {
  const client = twilio('AC00000000000000000000000000000000', 'auth-token');
  client.verify.baseUrl = base;
  const service = client.verify.v2.services('VA00000000000000000000000000000000');
  const to = '+447700900104';
  const verification = await service.verifications.create({ to, channel: 'sms' });
  assert.equal(verification.status, 'pending');
  assert.match(verification.sid, /^VE/);
  const code = await newestCode(to);
  const miss = await service.verificationChecks.create({ to, code: wrong(code) });
  assert.equal(miss.status, 'pending');
  assert.equal(miss.valid, false);
  const hit = await service.verificationChecks.create({ to, code });
  assert.equal(hit.status, 'approved');
  assert.equal(hit.valid, true);
});
