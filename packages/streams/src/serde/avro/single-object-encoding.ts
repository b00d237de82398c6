/**
 * Avro's single-object encoding (Avro specification, "Single-object encoding"):
 *
 *   byte 0..1   0xC3 0x01                 marker and format version
 *   byte 2..9   CRC-64-AVRO fingerprint   of the writer schema's Parsing Canonical Form, little-endian
 *   byte 10..   the value in Avro binary encoding
 *
 * This standard header, rather than a home-grown one, lets any Avro library that implements the
 * spec (Java's BinaryMessageDecoder, Python's avro, …) read Parley's records.
 */

export const MARKER_BYTE_0 = 0xc3;
export const MARKER_BYTE_1 = 0x01;
/** Length of the fingerprint in the header, in bytes. */
export const FINGERPRINT_LENGTH = 8;
/** Offset of the fingerprint in the header. */
export const FINGERPRINT_OFFSET = 2;
/** Length of the whole header, in bytes; the Avro body starts here. */
export const HEADER_LENGTH = FINGERPRINT_OFFSET + FINGERPRINT_LENGTH;

/** Writes the marker and `fingerprint` (8 bytes, little-endian) at the start of `target`. */
export function writeHeader(target: Buffer, fingerprint: Buffer): void {
  target[0] = MARKER_BYTE_0;
  target[1] = MARKER_BYTE_1;
  fingerprint.copy(target, FINGERPRINT_OFFSET, 0, FINGERPRINT_LENGTH);
}

/** True when `bytes` starts with the single-object marker and is long enough for a header. */
export function hasHeader(bytes: Buffer): boolean {
  return bytes.length >= HEADER_LENGTH && bytes[0] === MARKER_BYTE_0 && bytes[1] === MARKER_BYTE_1;
}

/** The writer fingerprint of a record with a header, as lowercase hex in wire order. */
export function readFingerprintHex(bytes: Buffer): string {
  return bytes.toString('hex', FINGERPRINT_OFFSET, HEADER_LENGTH);
}
