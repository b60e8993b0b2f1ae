// Fuzz target: the JSON request decoders of the links API (http/json_body.h, http/link_json.h),
// from raw body bytes to a CreateLinkRequest or a LinkPatch, and the field rules they feed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/link.h"
#include "http/json_body.h"
#include "http/link_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hop::Request request;
  request.method = "POST";
  request.target = "/api/v1/links";
  request.headers.emplace_back("Content-Type", "application/json");
  request.body.assign(reinterpret_cast<const char*>(data), size);
  hop::Result<boost::json::object> body = hop::ParseJsonObject(request);
  if (!body.ok()) return 0;
  hop::Result<hop::CreateLinkRequest> create = hop::ParseCreateLink(body.value());
  if (create.ok()) (void)hop::ValidateLinkFields(create.value().fields);
  hop::Result<hop::LinkPatch> patch = hop::ParseLinkPatch(body.value());
  if (patch.ok()) (void)hop::ValidateLinkPatch(patch.value());
  return 0;
}
