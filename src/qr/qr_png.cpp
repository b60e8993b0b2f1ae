#include "qr/qr_png.h"

#include <png.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace hop {

namespace {

constexpr uint8_t kLight = 255;
constexpr uint8_t kDark = 0;

int ModulesWithQuietZone(const QrCode& code) { return code.size + 2 * kQrQuietZoneModules; }

}  // namespace

int QrPngSide(const QrCode& code, int size_px) {
  return std::max(size_px, ModulesWithQuietZone(code));
}

Result<std::string> RenderQrPng(const QrCode& code, int size_px) {
  const int side = QrPngSide(code, size_px);
  const int scale = side / ModulesWithQuietZone(code);
  // The pixels left over after whole modules are split around the symbol.
  const int offset = (side - scale * code.size) / 2;
  std::vector<uint8_t> pixels(static_cast<size_t>(side) * side, kLight);
  for (int y = 0; y < code.size; ++y) {
    for (int x = 0; x < code.size; ++x) {
      if (!code.IsDark(x, y)) continue;
      for (int dy = 0; dy < scale; ++dy) {
        uint8_t* row = &pixels[static_cast<size_t>(offset + y * scale + dy) * side];
        std::fill_n(row + static_cast<size_t>(offset + x * scale), scale, kDark);
      }
    }
  }

  // libpng's simplified API: no setjmp/longjmp, which would skip C++ destructors on error.
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(side);
  image.height = static_cast<png_uint_32>(side);
  image.format = PNG_FORMAT_GRAY;
  png_alloc_size_t bytes = 0;
  // The first call only measures: with no buffer, libpng compresses to count the bytes.
  if (!png_image_write_to_memory(&image, nullptr, &bytes, 0, pixels.data(), 0, nullptr)) {
    return Status::Error(ErrorCode::kInternal, std::string("libpng: ") + image.message);
  }
  std::string png(bytes, '\0');
  if (!png_image_write_to_memory(&image, png.data(), &bytes, 0, pixels.data(), 0, nullptr)) {
    return Status::Error(ErrorCode::kInternal, std::string("libpng: ") + image.message);
  }
  png.resize(bytes);
  return png;
}

}  // namespace hop
