import { useEffect, useRef } from 'react';
import QRCode from 'qrcode';

interface QrCodeImageProps {
  value: string;
  alt: string;
  size?: number;
}

// Drawn on a canvas rather than as a data: URL image so it works under any img-src CSP.
export function QrCodeImage({ value, alt, size = 200 }: QrCodeImageProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    QRCode.toCanvas(canvas, value, { width: size, margin: 1, errorCorrectionLevel: 'M' }).catch(() => {
      // A value too long for a QR code still leaves the text secret next to it.
    });
  }, [value, size]);

  return (
    <canvas ref={canvasRef} width={size} height={size} role="img" aria-label={alt} data-testid="totp-qr" />
  );
}
