/**
 * A QR code drawn in the page as SVG from `qrcode`'s module matrix: the text (an MFA seed in an
 * otpauth URI) never leaves the browser for an image service, and no data: URL or innerHTML is
 * needed under the console's content security policy.
 */
import { useMemo } from 'react';
import { create } from 'qrcode';

/** Props of QrCode. */
export interface QrCodeProps {
  readonly text: string;
  /** The accessible name of the image, e.g. "QR code for the MFA device". */
  readonly label: string;
  /** Pixels per module. */
  readonly scale?: number;
}

/** Modules of quiet zone around the symbol, as ISO/IEC 18004 asks. */
const QUIET_ZONE = 4;

/** The QR code as an <svg role="img">. */
export function QrCode(props: QrCodeProps) {
  const { size, path } = useMemo(() => {
    const matrix = create(props.text, { errorCorrectionLevel: 'M' }).modules;
    // One path of 1×1 squares: small to render, crisp at any zoom.
    let d = '';
    for (let row = 0; row < matrix.size; row++) {
      for (let col = 0; col < matrix.size; col++) {
        if (matrix.get(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
      }
    }
    return { size: matrix.size + 2 * QUIET_ZONE, path: d };
  }, [props.text]);
  const pixels = size * (props.scale ?? 5);
  return (
    <svg role="img" aria-label={props.label} width={pixels} height={pixels} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges" className="qr-code">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
