// QR codes as PNG: 8-bit greyscale images encoded by libpng, for places that take no SVG.
#pragma once

#include <string>

#include "core/status.h"
#include "qr/qr_code.h"

namespace hop {

// The side of the square PNG that RenderQrPng draws for `code` at `size_px`: `size_px`, unless the
// symbol and its quiet zone need more pixels than that at one pixel per module; then exactly that
// many.
int QrPngSide(const QrCode& code, int size_px);

// A PNG image QrPngSide(code, size_px) pixels square: `code` in black on white. Each module is a
// whole number of pixels (as many as fit), and the symbol is centred, so the quiet zone is at
// least kQrQuietZoneModules modules wide. kInternal when libpng fails.
// REQUIRES: size_px > 0.
Result<std::string> RenderQrPng(const QrCode& code, int size_px);

}  // namespace hop
