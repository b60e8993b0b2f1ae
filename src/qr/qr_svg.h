// QR codes as SVG: a vector image that prints sharp at any size.
#pragma once

#include <string>

#include "qr/qr_code.h"

namespace hop {

// An SVG document `size_px` wide and high showing `code` in black on white, with the quiet zone.
// Its viewBox counts modules (code.size + 2 * kQrQuietZoneModules per side) and its one <path>
// draws each row's runs of dark modules as "M{x} {y}h{run}v1h-{run}z", so a module is never
// blurred into its neighbours by scaling.
std::string RenderQrSvg(const QrCode& code, int size_px);

}  // namespace hop
