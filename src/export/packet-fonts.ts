/** The packet's fonts (DejaVu Sans), handed over by the process at start: src/ reads no files. */
export interface PacketFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

let fonts: PacketFonts | null = null;

export function usePacketFonts(f: PacketFonts): void {
  fonts = f;
}

export function packetFonts(): PacketFonts {
  if (!fonts) throw new Error('the packet fonts were not loaded (import ops/packet-fonts.js at start)');
  return fonts;
}
