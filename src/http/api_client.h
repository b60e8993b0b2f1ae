// ApiClient: a small blocking client for hop's own HTTP API, used by the CLI's client commands
// (`hop create`, `hop stats`, `hop list`). It speaks HTTP and HTTPS (OpenSSL, certificates verified
// against the system's trust store), sends the API key as a Bearer token, and keeps Beast out of
// the CLI.
//
// Thread-safety: none; one instance per thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hop {

struct ApiResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class ApiClient {
 public:
  // `base_url`: "http://host:port" or "https://host"; `api_key` may be empty.
  ApiClient(std::string base_url, std::string api_key,
            std::chrono::seconds timeout = std::chrono::seconds(30));

  // Sends one request (`target` is path and query, e.g. "/api/v1/links?limit=10") with an optional
  // JSON body and returns whatever the server answered, error statuses included. kInvalidRequest
  // for an unusable base URL; kInternal, with the reason, when the server cannot be reached.
  Result<ApiResponse> Send(std::string_view method, std::string_view target,
                           std::string_view json_body = {});

 private:
  std::string base_url_;
  std::string api_key_;
  std::chrono::seconds timeout_;
};

}  // namespace hop
