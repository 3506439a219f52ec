// SPDX-License-Identifier: Apache-2.0
/**
 * @module QR rendering (ISO/IEC 18004 via `qrcode`) of tokens as one alphanumeric segment — the
 * Base45 alphabet is exactly QR's alphanumeric set (RFC 9285 §1), 5.5 bits a character — at error
 * correction Q as the DCC recommends (hcert spec §4.2.1), and PNG decoding for the CLI verifier
 * (`pngjs` + `jsqr`) with the file size and pixel count bounded before anything is decoded.
 */
import type jsQRDefault from 'jsqr';
import { QrImageError } from './errors.js';

// The QR libraries load on first use, so opening the codes capability (migrations, jobs) stays light.
const qrcode = async () => (await import('qrcode')).default;
type JsQr = typeof jsQRDefault.default;
async function jsqr(): Promise<JsQr> {
  // jsqr is CommonJS whose typings declare an ES default export; under NodeNext the default import
  // is the module object, which is also callable at run time. Take `.default` when it is there.
  const m = (await import('jsqr')).default as unknown as JsQr & { default?: JsQr };
  return m.default ?? m;
}

export type QrFormat = 'png' | 'svg' | 'terminal';
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

const ALNUM = /^[0-9A-Z $%*+\-./:]*$/;

function segments(text: string) {
  // One alphanumeric segment when possible; otherwise let qrcode choose (e.g. a DCC in byte mode).
  return ALNUM.test(text) ? [{ data: text, mode: 'alphanumeric' as const }] : text;
}

/** The QR version (1–40) and side in modules that `text` needs at `level`. */
export async function qrVersion(
  text: string,
  level: QrLevel = 'Q',
): Promise<{ version: number; modules: number }> {
  const QRCode = await qrcode();
  const qr = QRCode.create(segments(text), { errorCorrectionLevel: level });
  return { version: qr.version, modules: qr.modules.size };
}

/** Renders a QR code as PNG bytes, SVG text or terminal text. */
export async function renderQr(
  text: string,
  format: QrFormat,
  level: QrLevel = 'Q',
): Promise<Buffer | string> {
  const data = segments(text);
  const QRCode = await qrcode();
  switch (format) {
    case 'png':
      return QRCode.toBuffer(data, {
        type: 'png',
        errorCorrectionLevel: level,
        margin: 4,
        scale: 6,
      });
    case 'svg':
      return QRCode.toString(data, { type: 'svg', errorCorrectionLevel: level, margin: 4 });
    case 'terminal':
      return QRCode.toString(data, { type: 'terminal', errorCorrectionLevel: level, small: true });
  }
}

/** Largest PNG file and pixel count the decoder accepts. */
export const MAX_PNG_BYTES = 8 * 1024 * 1024;
export const MAX_PNG_PIXELS = 4000 * 4000;

/** Reads the text of the QR code in a PNG; throws {@link QrImageError}. */
export async function decodeQrPng(png: Uint8Array): Promise<string> {
  if (png.length > MAX_PNG_BYTES) {
    throw new QrImageError('PNG larger than 8 MiB');
  }
  const buf = Buffer.from(png.buffer, png.byteOffset, png.length);
  // IHDR (bytes 16–23) gives the size before any pixel is inflated.
  if (buf.length < 24 || buf.toString('latin1', 1, 4) !== 'PNG') {
    throw new QrImageError('not a PNG image');
  }
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (width === 0 || height === 0 || width * height > MAX_PNG_PIXELS) {
    throw new QrImageError('PNG dimensions out of range');
  }
  const { PNG } = await import('pngjs');
  let image: InstanceType<typeof PNG>;
  try {
    image = PNG.sync.read(buf);
  } catch (err) {
    throw new QrImageError('PNG image unreadable', { cause: err });
  }
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  const code = (await jsqr())(pixels, image.width, image.height, {
    inversionAttempts: 'attemptBoth',
  });
  if (code === null) {
    throw new QrImageError('no QR code found in the image');
  }
  return code.data;
}
