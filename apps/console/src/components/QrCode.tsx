import { encode } from 'uqr';

/** A QR code drawn as SVG rectangles (no canvas, no inline script, nothing sent anywhere). */
export function QrCode({ text, label }: { readonly text: string; readonly label: string }) {
  const { data, size } = encode(text, { ecc: 'M', border: 2 });
  const rects: preact.JSX.Element[] = [];
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) rects.push(<rect key={`${x}-${y}`} x={x} y={y} width={1.02} height={1.02} />);
    }),
  );
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <g fill="#000">{rects}</g>
    </svg>
  );
}
