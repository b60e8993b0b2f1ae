#include "qr/qr_code.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <string>

namespace hop {

namespace {

struct QrcodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

Result<QrCode> EncodeQrCode(std::string_view text) {
  // QRcode_encodeString stops at a NUL; a NUL inside `text` would silently shorten the symbol.
  if (text.empty() || text.find('\0') != std::string_view::npos) {
    return Status::Error(ErrorCode::kInvalidRequest, "a QR code needs non-empty text without NUL");
  }
  const std::string terminated(text);
  // Version 0 asks for the smallest version that fits; QR_MODE_8 lets the encoder pick cheaper
  // modes for runs of digits, and case-sensitive keeps a code's letters as they are.
  std::unique_ptr<QRcode, QrcodeFree> encoded(
      QRcode_encodeString(terminated.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!encoded) {
    if (errno == ERANGE) {
      return Status::Error(ErrorCode::kInvalidRequest, "the text is too long for a QR code: " +
                                                           std::to_string(text.size()) + " bytes");
    }
    return Status::Error(ErrorCode::kInternal, "libqrencode could not encode the text");
  }
  QrCode code;
  code.size = encoded->width;
  const size_t modules = static_cast<size_t>(code.size) * code.size;
  code.dark.resize(modules);
  // libqrencode packs flags into each byte; bit 0 is the module's colour.
  for (size_t i = 0; i < modules; ++i) code.dark[i] = encoded->data[i] & 1;
  return code;
}

}  // namespace hop
