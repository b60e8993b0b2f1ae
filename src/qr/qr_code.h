// QrCode: a QR code symbol as a square of modules, encoded by libqrencode.
//
// The symbol is what the renderers (qr_svg.h, qr_png.h) draw; it holds no quiet zone, which is a
// property of the image, not of the symbol. Encoding uses error correction level M (15% of the
// symbol may be damaged), the usual choice for printed URLs, and the smallest version that fits.
//
// Thread-safety: EncodeQrCode may be called concurrently: Debian's libqrencode is built with
// pthread support, so the tables it fills on first use are guarded by a mutex.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hop {

// The blank border every QR image needs around the symbol, in modules (ISO/IEC 18004 asks for 4).
inline constexpr int kQrQuietZoneModules = 4;

struct QrCode {
  int size = 0;               // modules per side: 21 for version 1, up to 177 for version 40
  std::vector<uint8_t> dark;  // size * size, row-major; 1 = dark module

  // REQUIRES: 0 <= x, y < size.
  bool IsDark(int x, int y) const { return dark[static_cast<size_t>(y) * size + x] != 0; }
};

// The symbol for `text`. kInvalidRequest when the text is empty or longer than a QR code can hold
// (2,331 bytes of arbitrary text at level M); kInternal when libqrencode fails otherwise.
Result<QrCode> EncodeQrCode(std::string_view text);

}  // namespace hop
