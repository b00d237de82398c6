/** Meta writes some reaction emoji as `\u{2764}\u{FE0F}` text: those sequences become the characters (others stay as they are). */
export function decodeCodePoints(text: string): string {
  return text.replace(/\\u\{([0-9a-fA-F]{1,6})\}/g, (whole, hex: string) => {
    const cp = Number.parseInt(hex, 16);
    return cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : whole;
  });
}
