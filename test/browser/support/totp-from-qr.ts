/**
 * Reading a virtual MFA device's QR code as a phone's authenticator app does: the pixels of the
 * code as the browser paints the page's <svg> (rasterised on a canvas in the page), decoded by
 * jsQR into its otpauth URI, and TOTP codes computed from the seed with the server's own RFC 6238
 * implementation (itself tested against the RFC's vectors).
 */
import jsQR from 'jsqr';
import type { Locator } from 'playwright-core';
import { base32Decode } from '../../../src/iam/mfa/base32.ts';
import { hotp, timeStep } from '../../../src/iam/mfa/totp.ts';

/** The text of the QR code that the <svg> at `locator` draws. */
export async function readQrCode(locator: Locator): Promise<string> {
  const image = await locator.evaluate(async (svg) => {
    const { width, height } = svg.getBoundingClientRect();
    const picture = new Image();
    picture.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await picture.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width);
    canvas.height = Math.ceil(height);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d canvas');
    context.drawImage(picture, 0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, rgba: Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data) };
  });
  const decoded = jsQR(Uint8ClampedArray.from(image.rgba), image.width, image.height);
  if (decoded === null) throw new Error('jsQR found no QR code in the picture');
  return decoded.data;
}

/** The base32 seed of an `otpauth://totp/…?secret=…` URI. */
export function seedOf(otpauthUri: string): string {
  const url = new URL(otpauthUri);
  if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw new Error(`not a TOTP URI: ${otpauthUri}`);
  const secret = url.searchParams.get('secret');
  if (secret === null) throw new Error(`no secret in ${otpauthUri}`);
  return secret;
}

/** Two consecutive codes, as a user types them: the previous step's and the current one's. */
export function consecutiveCodes(base32Seed: string, now = new Date()): [string, string] {
  const seed = base32Decode(base32Seed);
  const step = timeStep(now);
  return [hotp(seed, step - 1), hotp(seed, step)];
}
