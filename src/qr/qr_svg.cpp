#include "qr/qr_svg.h"

namespace hop {

std::string RenderQrSvg(const QrCode& code, int size_px) {
  const std::string side = std::to_string(code.size + 2 * kQrQuietZoneModules);
  const std::string px = std::to_string(size_px);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + px + "\" height=\"" +
                    px + "\" viewBox=\"0 0 " + side + " " + side +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"" + side + "\" height=\"" +
                    side + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < code.size; ++y) {
    for (int x = 0; x < code.size;) {
      if (!code.IsDark(x, y)) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < code.size && code.IsDark(x, y)) ++x;
      const std::string run = std::to_string(x - start);
      svg.append("M")
          .append(std::to_string(start + kQrQuietZoneModules))
          .append(" ")
          .append(std::to_string(y + kQrQuietZoneModules))
          .append("h")
          .append(run)
          .append("v1h-")
          .append(run)
          .append("z");
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace hop
