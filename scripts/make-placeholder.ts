// Generates resources/placeholder.jpg: the last step of the image fallback
// (thumbnail → small → full → placeholder), an honest "no image yet" card.
// Run: npx tsx scripts/make-placeholder.ts
import sharp from 'sharp';
import { join } from 'node:path';

const WIDTH = 800;
const HEIGHT = 600;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
  <rect width="100%" height="100%" fill="#15181d"/>
  <g fill="none" stroke="#4a5260" stroke-width="10" stroke-linejoin="round">
    <rect x="310" y="200" width="180" height="130" rx="14"/>
    <circle cx="400" cy="265" r="38"/>
    <path d="M350 200 l15 -24 h70 l15 24"/>
    <path d="M290 350 L510 180" stroke="#6b7585"/>
  </g>
  <text x="400" y="410" font-family="DejaVu Sans, Arial, sans-serif" font-size="40" fill="#c3c9d2"
        text-anchor="middle">No image yet</text>
  <text x="400" y="455" font-family="DejaVu Sans, Arial, sans-serif" font-size="22" fill="#7d8694"
        text-anchor="middle">Timelapser</text>
</svg>`;

const output = join(import.meta.dirname, '..', 'resources', 'placeholder.jpg');
await sharp(Buffer.from(svg)).flatten({ background: '#15181d' }).jpeg({ quality: 82, mozjpeg: true }).toFile(output);
console.log(`wrote ${output}`);
