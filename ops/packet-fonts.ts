import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { usePacketFonts } from '../src/export/packet-fonts.js';

// DejaVu Sans covers Latin with every German, French, Turkish and Vietnamese letter (see
// assets/fonts/LICENSE-DejaVu.txt). Read once per process: from ops/ under tsx, from dist/ops/
// when compiled.
const dir = ['../assets/fonts/', '../../assets/fonts/'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((d) => existsSync(`${d}DejaVuSans.ttf`));
if (dir) usePacketFonts({ regular: readFileSync(`${dir}DejaVuSans.ttf`), bold: readFileSync(`${dir}DejaVuSans-Bold.ttf`) });
