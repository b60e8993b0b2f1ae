// QR symbols and their SVG and PNG images. Nothing here decodes a QR code: the tests check the
// structure every symbol must have (finder patterns, sizes by version) and that each image shows
// exactly the symbol's modules.
#include <gtest/gtest.h>
#include <png.h>

#include <regex>
#include <string>
#include <vector>

#include "qr/qr_code.h"
#include "qr/qr_png.h"
#include "qr/qr_svg.h"

namespace hop {
namespace {

QrCode Encode(std::string_view text) {
  Result<QrCode> code = EncodeQrCode(text);
  EXPECT_TRUE(code.ok()) << code.status().detail();
  return code.ok() ? code.value() : QrCode{};
}

int DarkModules(const QrCode& code) {
  int dark = 0;
  for (uint8_t module : code.dark) dark += module;
  return dark;
}

// A finder pattern: a 7x7 dark ring, a light ring, a 3x3 dark centre.
void ExpectFinderAt(const QrCode& code, int left, int top) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      const bool ring = x == 0 || x == 6 || y == 0 || y == 6;
      const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      EXPECT_EQ(code.IsDark(left + x, top + y), ring || centre)
          << "finder at (" << left << "," << top << "), module (" << x << "," << y << ")";
    }
  }
}

// The PNG's pixels, read back with libpng's simplified API as 8-bit grey.
std::vector<uint8_t> ReadPngPixels(const std::string& png, int& width, int& height) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  EXPECT_TRUE(png_image_begin_read_from_memory(&image, png.data(), png.size())) << image.message;
  image.format = PNG_FORMAT_GRAY;
  width = static_cast<int>(image.width);
  height = static_cast<int>(image.height);
  std::vector<uint8_t> pixels(PNG_IMAGE_SIZE(image));
  EXPECT_TRUE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) << image.message;
  return pixels;
}

uint32_t BigEndian32(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

TEST(QrCode, ElevenAlphanumericCharactersFitVersionOne) {
  const QrCode code = Encode("HELLO WORLD");
  EXPECT_EQ(code.size, 21);
  ASSERT_EQ(code.dark.size(), 21u * 21u);
}

TEST(QrCode, AShortUrlFitsVersionTwoWithFinderPatternsInThreeCorners) {
  const QrCode code = Encode("https://sho.rt/Xk3e9Qa");
  ASSERT_EQ(code.size, 25);
  ExpectFinderAt(code, 0, 0);
  ExpectFinderAt(code, code.size - 7, 0);
  ExpectFinderAt(code, 0, code.size - 7);
  // The timing pattern alternates between the finders on row and column 6.
  for (int i = 8; i < code.size - 8; ++i) {
    EXPECT_EQ(code.IsDark(i, 6), i % 2 == 0) << i;
    EXPECT_EQ(code.IsDark(6, i), i % 2 == 0) << i;
  }
}

TEST(QrCode, LongerTextNeedsALargerSymbol) {
  EXPECT_GT(Encode("https://sho.rt/" + std::string(200, 'a')).size, 25);
}

TEST(QrCode, EmptyTextIsRefused) {
  Result<QrCode> code = EncodeQrCode("");
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.status().code(), ErrorCode::kInvalidRequest);
}

TEST(QrCode, TextBeyondTheLargestSymbolIsRefused) {
  Result<QrCode> code = EncodeQrCode(std::string(3000, 'x'));
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.status().code(), ErrorCode::kInvalidRequest);
}

TEST(QrSvg, ViewBoxCountsModulesWithQuietZoneAndPathDrawsEachDarkModuleOnce) {
  const QrCode code = Encode("https://sho.rt/Xk3e9Qa");
  const std::string svg = RenderQrSvg(code, 200);
  EXPECT_TRUE(
      svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" "
                      "height=\"200\" viewBox=\"0 0 33 33\""))
      << svg.substr(0, 120);
  EXPECT_TRUE(svg.ends_with("</svg>"));

  const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  std::vector<uint8_t> drawn(code.dark.size(), 0);
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator();
       ++it) {
    const int x = std::stoi((*it)[1]) - kQrQuietZoneModules;
    const int y = std::stoi((*it)[2]) - kQrQuietZoneModules;
    const int length = std::stoi((*it)[3]);
    ASSERT_EQ(length, std::stoi((*it)[4]));
    for (int i = 0; i < length; ++i) {
      ASSERT_TRUE(x + i < code.size && y < code.size) << it->str();
      drawn[static_cast<size_t>(y) * code.size + x + i] += 1;
    }
  }
  EXPECT_EQ(drawn, code.dark);
  EXPECT_EQ(DarkModules(code), std::count(drawn.begin(), drawn.end(), 1));
}

TEST(QrPng, StartsWithTheSignatureAndAnIhdrOfTheRequestedSize) {
  const QrCode code = Encode("https://sho.rt/Xk3e9Qa");
  Result<std::string> png = RenderQrPng(code, 256);
  ASSERT_TRUE(png.ok()) << png.status().detail();
  const std::string& bytes = png.value();
  ASSERT_GT(bytes.size(), 33u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(bytes.substr(12, 4), "IHDR");
  EXPECT_EQ(BigEndian32(bytes, 16), 256u);  // width
  EXPECT_EQ(BigEndian32(bytes, 20), 256u);  // height
  EXPECT_EQ(bytes[24], 8);                  // bit depth
  EXPECT_EQ(bytes[25], 0);                  // colour type: greyscale
}

TEST(QrPng, EveryModuleIsASquareOfWholePixelsCentredInTheImage) {
  const QrCode code = Encode("https://sho.rt/Xk3e9Qa");
  Result<std::string> png = RenderQrPng(code, 100);
  ASSERT_TRUE(png.ok());
  int width = 0;
  int height = 0;
  const std::vector<uint8_t> pixels = ReadPngPixels(png.value(), width, height);
  ASSERT_EQ(width, 100);
  ASSERT_EQ(height, 100);
  // 33 modules with the quiet zone fit 3 times into 100 pixels; the 100 - 75 pixels left over
  // are split around the symbol.
  const int scale = 3;
  const int offset = (100 - scale * code.size) / 2;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int mx = (x - offset) / scale;
      const int my = (y - offset) / scale;
      const bool inside = x >= offset && y >= offset && mx < code.size && my < code.size;
      const bool dark = inside && code.IsDark(mx, my);
      ASSERT_EQ(pixels[static_cast<size_t>(y) * width + x], dark ? 0 : 255)
          << "pixel (" << x << "," << y << ")";
    }
  }
}

TEST(QrPng, GrowsToOnePixelPerModuleWhenTheRequestedSizeIsTooSmall) {
  const QrCode code = Encode("https://sho.rt/Xk3e9Qa");
  EXPECT_EQ(QrPngSide(code, 32), 33);
  Result<std::string> png = RenderQrPng(code, 32);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(BigEndian32(png.value(), 16), 33u);
}

}  // namespace
}  // namespace hop
